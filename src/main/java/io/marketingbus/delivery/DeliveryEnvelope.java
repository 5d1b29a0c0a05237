package io.marketingbus.delivery;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import io.marketingbus.ops.DeliveryRecords;

/**
 * Opens a record for a delivery route and closes it: the canonical event becomes the body, the record's headers
 * are set aside (they must not leak into platform calls), and the offset is committed once the route is done.
 */
public final class DeliveryEnvelope {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEnvelope.class);

    private final EventCodec codec;
    private final MeterRegistry meters;
    private final DeliveredEvents delivered;
    private final DeliveryRecords records;
    private final DestinationBreakers breakers;

    public DeliveryEnvelope(EventCodec codec, MeterRegistry meters, DeliveredEvents delivered, DeliveryRecords records,
                            DestinationBreakers breakers) {
        this.breakers = breakers;
        this.codec = codec;
        this.meters = meters;
        this.delivered = delivered;
        this.records = records;
    }

    /**
     * The record's canonical event becomes the body; for routing rules it is also the {@code event} property as
     * nested maps ({@code ${exchangeProperty.event[data][opportunity][amount]}}). An event this destination has
     * already delivered is marked to be skipped.
     */
    public void open(Exchange exchange) {
        exchange.setProperty(DeliveryExchange.COMMIT, exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT));
        byte[] record = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().getHeaders().clear();
        CloudEvent event = codec.parse(record);
        // log lines of this delivery carry the event and where it is going (JSON log format shows them)
        MDC.put("eventId", event.id());
        MDC.put("destination", exchange.getProperty(DeliveryExchange.DESTINATION, String.class));
        exchange.setProperty(DeliveryExchange.EVENT_ID, event.id());
        exchange.setProperty(DeliveryExchange.EVENT_TYPE, event.type());
        exchange.setProperty(DeliveryExchange.CLOUD_EVENT, event);
        exchange.setProperty(DeliveryExchange.EVENT_MAP, codec.mapper().convertValue(event, java.util.Map.class));
        if (delivered.contains(deliveredTopic(exchange), event.id())) {
            skip(exchange, "already delivered");
            exchange.setProperty(DeliveryExchange.DUPLICATE, true);
        }
        exchange.getMessage().setBody(event);
    }

    /** The platform accepted the event (or a routing rule skipped it): count it and move the offset on. */
    public void delivered(Exchange exchange) {
        String destination = exchange.getProperty(DeliveryExchange.DESTINATION, String.class);
        boolean skipped = exchange.getProperty(DeliveryExchange.SKIPPED, false, Boolean.class);
        meters.counter("marketing_bus_delivery_events", "destination", destination,
                "outcome", skipped ? "skipped" : "delivered").increment();
        LOG.debug("Event {} {} for {}", exchange.getProperty(DeliveryExchange.EVENT_ID),
                skipped ? "skipped" : "delivered", destination);
        records.record(exchange.getProperty(DeliveryExchange.EVENT_ID, String.class),
                exchange.getProperty(DeliveryExchange.EVENT_TYPE, String.class), destination,
                skipped ? "skipped" : "delivered", exchange.getProperty(DeliveryExchange.SKIP_REASON, String.class),
                exchange.getFromRouteId());
        if (!skipped) {
            breakers.succeeded(destination);
            delivered.record(deliveredTopic(exchange), exchange.getProperty(DeliveryExchange.EVENT_ID, String.class));
            CloudEvent event = exchange.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class);
            io.micrometer.core.instrument.Timer.builder("marketing_bus_delivery_latency")
                    .description("from the event's time to the platform accepting it")
                    .tag("destination", destination).publishPercentileHistogram()
                    .register(meters).record(java.time.Duration.between(java.time.Instant.parse(event.time()),
                            java.time.Instant.now()));
        }
        commit(exchange);
        MDC.remove("eventId");
        MDC.remove("destination");
    }

    private static String deliveredTopic(Exchange exchange) {
        return exchange.getProperty(DeliveryExchange.DELIVERED_TOPIC, String.class);
    }

    /** Marks an event that no routing rule takes: it is counted and committed, not lost silently. */
    public void skip(Exchange exchange, String rule) {
        exchange.setProperty(DeliveryExchange.SKIPPED, true);
        exchange.setProperty(DeliveryExchange.SKIP_REASON, rule);
        LOG.info("Event {} ({}) skipped for {}: {}", exchange.getProperty(DeliveryExchange.EVENT_ID),
                exchange.getProperty(DeliveryExchange.EVENT_TYPE),
                exchange.getProperty(DeliveryExchange.DESTINATION), rule);
    }

    static void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(DeliveryExchange.COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }
}

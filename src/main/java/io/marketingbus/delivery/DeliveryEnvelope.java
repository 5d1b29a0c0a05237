package io.marketingbus.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.ingress.IngressExchange;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Opens a record for its delivery: the canonical event becomes the body and the record's headers are set aside
 * (they must not leak into platform calls). {@link DeliveryBatches} accounts for it and commits its offset.
 */
public final class DeliveryEnvelope {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEnvelope.class);

    private final EventCodec codec;
    private final DeliveredEvents delivered;

    public DeliveryEnvelope(EventCodec codec, DeliveredEvents delivered) {
        this.codec = codec;
        this.delivered = delivered;
    }

    /**
     * The record's canonical event becomes the body; for routing rules it is also the {@code event} property as
     * nested maps ({@code ${exchangeProperty.event[data][opportunity][amount]}}). An event this destination has
     * already delivered is marked to be skipped.
     */
    public void open(Exchange exchange) {
        byte[] record = exchange.getMessage().getBody(byte[].class);
        // events this one leads to (an enricher's) carry its acceptance forward
        exchange.setProperty(IngressExchange.ACCEPTED_AT, acceptedAt(exchange.getMessage().getHeaders()));
        boolean checked = EventCodec.checkedOnWrite(exchange.getMessage().getHeader(EventCodec.CHECKED_HEADER));
        exchange.getMessage().getHeaders().clear();
        CloudEvent event = codec.read(record, checked);
        // log lines of this delivery carry the event and where it is going (JSON log format shows them)
        MDC.put("eventId", event.id());
        MDC.put("destination", exchange.getProperty(DeliveryExchange.DESTINATION, String.class));
        exchange.setProperty(DeliveryExchange.EVENT_ID, event.id());
        exchange.setProperty(DeliveryExchange.EVENT_TYPE, event.type());
        exchange.setProperty(DeliveryExchange.CLOUD_EVENT, event);
        exchange.setProperty(DeliveryExchange.EVENT_MAP, new EventMap(event, codec.mapper()));
        BatchItem item = exchange.getProperty(DeliveryExchange.BATCH_ITEM, BatchItem.class);
        if ((item != null && !item.firstInBatch(event.id())) || delivered.contains(deliveredTopic(exchange), event.id())) {
            skip(exchange, "already delivered");
            exchange.setProperty(DeliveryExchange.DUPLICATE, true);
        }
        exchange.getMessage().setBody(event);
    }

    /**
     * When the bus accepted the record's event: its {@code bus-accepted-at} header, else (a record written before
     * the header existed) the Kafka record's timestamp; null when neither can be read.
     */
    static Long acceptedAt(Map<String, Object> headers) {
        Object stamp = headers.get(IngressExchange.ACCEPTED_AT_HEADER);
        try {
            if (stamp instanceof byte[] bytes) {
                return Long.valueOf(new String(bytes, StandardCharsets.UTF_8).trim());
            }
            if (stamp != null) {
                return Long.valueOf(stamp.toString().trim());
            }
        } catch (NumberFormatException unreadable) {
            // fall back to the record's timestamp
        }
        return headers.get(KafkaConstants.TIMESTAMP) instanceof Long timestamp ? timestamp : null;
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
}

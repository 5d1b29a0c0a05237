package io.marketingbus.ingress;

import io.marketingbus.event.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

/** The exchange properties and Kafka record shape every ingress route shares. */
public final class IngressExchange {

    /** Bound as the {@code busRecords} bean for splitters in route files. */
    public IngressExchange() {
    }


    public static final String PLATFORM = "busPlatform";
    public static final String RAW_REQUEST = "busRawRequest";
    public static final String FORWARD = "busForward";
    public static final String EVENT_ID = "busEventId";
    public static final String EVENT_TYPE = "busEventType";
    /** The published event's CloudEvents {@code source}, for the delivery record of its acceptance. */
    public static final String EVENT_SOURCE = "busEventSource";
    /** A batch webhook's elements that could not be read (each one dead-lettered alone), for the answer. */
    public static final String MALFORMED = "busMalformed";
    /** How many of a batch webhook's elements were not for the bus, for the answer. */
    public static final String IGNORED = "busIgnored";
    /** CloudEvents Kafka binding, structured mode: the record's content type names the event format. */
    public static final String CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    /**
     * Record header: when the bus accepted the event (epoch milliseconds, decimal text), the start of its delivery
     * latency. An event derived from another (the deal enricher's opportunities, the resolver's conversions) carries
     * its origin's acceptance forward; a replay is a new acceptance.
     */
    public static final String ACCEPTED_AT_HEADER = "bus-accepted-at";
    /** The acceptance a record made from this exchange is stamped with (set by the first record, or on delivery). */
    public static final String ACCEPTED_AT = "busAcceptedAt";


    /**
     * The largest record ingress puts on the bus (key and value): under Kafka's default 1 MiB
     * ({@code max.request.size}, {@code message.max.bytes}) with room for headers and batch overhead, so an event
     * is refused at the door with a 4xx instead of failing in the producer as a 503 the sender retries forever.
     */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    /** @throws WebhookRejectedException 413 naming the limit when the record would not fit on the bus */
    public static void checkSize(BusRecord record) {
        long size = (long) record.value().length + (record.key() == null ? 0 : record.key().length());
        if (size > MAX_RECORD_BYTES) {
            throw new WebhookRejectedException(413, "the event would be a " + size + "-byte record, over the bus's limit of "
                    + MAX_RECORD_BYTES + " bytes", true);
        }
    }

    /**
     * The message becomes one Kafka record: value, key, the CloudEvents content type and the acceptance time,
     * nothing else.
     */
    public static void prepareRecord(Exchange exchange, BusRecord record) {
        checkSize(record);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(record.value());
        exchange.getMessage().setHeader(KafkaConstants.KEY, record.key());
        exchange.getMessage().setHeader("content-type", CLOUDEVENTS_CONTENT_TYPE);
        // every BusRecord's value came from EventCodec.toJson, which checked it against its schema
        exchange.getMessage().setHeader(io.marketingbus.event.EventCodec.CHECKED_HEADER, "1");
        long acceptedAt = exchange.getProperty(ACCEPTED_AT, System.currentTimeMillis(), Long.class);
        exchange.setProperty(ACCEPTED_AT, acceptedAt);
        exchange.getMessage().setHeader(ACCEPTED_AT_HEADER, String.valueOf(acceptedAt));
    }

    /** The body, a {@link BusRecord}, becomes the Kafka record (one record, or each one a splitter hands over). */
    public void prepare(Exchange exchange) {
        prepareRecord(exchange, exchange.getMessage().getBody(BusRecord.class));
    }

    public static String platform(Exchange exchange) {
        return exchange.getProperty(PLATFORM, "unknown", String.class);
    }

    /**
     * Leaves only what the Kafka record needs: every HTTP header and form field is dropped, so none reaches the
     * bus as a record header or goes back to the caller as a response header.
     */
    public static void prepareForBus(Exchange exchange, CloudEvent event, byte[] json) {
        prepareRecord(exchange, new BusRecord(event.subject(), json));
        exchange.setProperty(FORWARD, true);
        exchange.setProperty(EVENT_ID, event.id());
        exchange.setProperty(EVENT_TYPE, event.type());
        exchange.setProperty(EVENT_SOURCE, event.source());
    }
}

package io.marketingbus.delivery;

/** Exchange properties every delivery route shares. */
public final class DeliveryExchange {

    public static final String DESTINATION = "busDestination";
    public static final String DEAD_LETTER_TOPIC = "busDeadLetterTopic";
    /** The endpoint that routes, translates and sends (or enlists) one event: the template's handler. */
    public static final String HANDLER = "busHandler";
    /** This delivery's own item and dead-letter routes ({@code direct:<delivery>-item}, {@code -dead-letter}). */
    public static final String ITEM_ENDPOINT = "busItemEndpoint";
    public static final String DEAD_LETTER_ENDPOINT = "busDeadLetterEndpoint";
    /** The {@link BatchItem} an event is in. */
    public static final String BATCH_ITEM = "busBatchItem";
    /** The consumer route delivering the event, e.g. deliver-subscriptions-to-hubspot. */
    public static final String ROUTE = "busDeliveryRoute";
    /** Set once the event's dead letter is written. */
    public static final String PARKED = "busParked";
    public static final String EVENT_ID = "busEventId";
    public static final String EVENT_TYPE = "busEventType";
    public static final String ATTEMPTS = "busAttempts";
    public static final String FIRST_FAILURE_AT = "busFirstFailureAt";
    public static final String SKIPPED = "busSkipped";
    public static final String SKIP_REASON = "busSkipReason";
    public static final String DUPLICATE = "busDuplicate";
    public static final String DELIVERED_TOPIC = "busDeliveredTopic";
    /** The canonical event being delivered (the body changes as the route goes). */
    public static final String CLOUD_EVENT = "busCloudEvent";
    /** The same event as nested maps, for routing rules written in the Simple language. */
    public static final String EVENT_MAP = "event";

    private DeliveryExchange() {
    }

    /** The delivered event's CloudEvents {@code source}, or null before the envelope was read. */
    public static String source(org.apache.camel.Exchange exchange) {
        io.marketingbus.event.CloudEvent event = exchange.getProperty(CLOUD_EVENT, io.marketingbus.event.CloudEvent.class);
        return event == null ? null : event.source();
    }
}

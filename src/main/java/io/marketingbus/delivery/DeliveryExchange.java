package io.marketingbus.delivery;

/** Exchange properties every delivery route shares. */
public final class DeliveryExchange {

    public static final String DESTINATION = "busDestination";
    public static final String COMMIT = "busCommit";
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
}

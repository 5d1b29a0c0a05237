package io.marketingbus.delivery;

/** Exchange properties every delivery route shares. */
public final class DeliveryExchange {

    public static final String DESTINATION = "busDestination";
    public static final String DEAD_LETTER_TOPIC = "busDeadLetterTopic";
    public static final String COMMIT = "busCommit";
    public static final String EVENT_ID = "busEventId";
    public static final String EVENT_TYPE = "busEventType";
    public static final String ATTEMPTS = "busAttempts";
    public static final String FIRST_FAILURE_AT = "busFirstFailureAt";
    public static final String SKIPPED = "busSkipped";

    private DeliveryExchange() {
    }
}

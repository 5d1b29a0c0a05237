package io.marketingbus.api.tracking;

import io.marketingbus.ingress.BusRecord;

/**
 * A record a tracked message becomes: the topic it goes to and the canonical event (already serialised, keyed as
 * its flow requires), with the id and type for the answer and the delivery record of its acceptance.
 */
public record TrackedRecord(String topic, BusRecord record, String eventId, String eventType, String eventSource) {
}

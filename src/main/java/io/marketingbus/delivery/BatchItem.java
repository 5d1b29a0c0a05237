package io.marketingbus.delivery;

import java.util.List;
import java.util.Map;

/**
 * One record of a polled batch on its way to a destination: what it was on Kafka (kept for its dead letter), the
 * requests its delivery left for the batch's calls, and how those calls went for it.
 */
public final class BatchItem {

    private final String key;
    private final byte[] record;
    private final Map<String, Object> headers;
    private final List<BatchCalls.Pending> batchRequests;
    private final java.util.Set<String> batchEventIds;
    private boolean enlisted;
    private boolean withdrawn;
    private RuntimeException failure;
    private String failedAt;
    private int attempts;
    private long firstFailureAt;
    private org.apache.camel.Exchange event;

    BatchItem(String key, byte[] record, Map<String, Object> headers, List<BatchCalls.Pending> batchRequests,
              java.util.Set<String> batchEventIds) {
        this.batchEventIds = batchEventIds;
        this.key = key;
        this.record = record;
        this.headers = headers;
        this.batchRequests = batchRequests;
    }

    /** The record's Kafka key (the contact): requests of one contact are sent in the order they were made. */
    String key() {
        return key;
    }

    byte[] record() {
        return record;
    }

    /** The event's delivery exchange (its id, type and source once its item route opened it). */
    void event(org.apache.camel.Exchange event) {
        this.event = event;
    }

    org.apache.camel.Exchange event() {
        return event;
    }

    Map<String, Object> headers() {
        return headers;
    }

    /** False for the second copy of an event in one batch (a webhook sent twice). */
    boolean firstInBatch(String eventId) {
        return batchEventIds.add(eventId);
    }

    void enlist(String connector, PlatformRequest request) {
        batchRequests.add(new BatchCalls.Pending(this, connector, request));
        enlisted = true;
    }

    /**
     * Takes back what a failed attempt of its delivery did to the batch: the requests it enlisted and, when it got as
     * far as reading the event, the event's id among those seen in the batch. The attempt that follows starts afresh.
     */
    void undo(String eventId) {
        batchRequests.removeIf(p -> p.item() == this);
        enlisted = false;
        if (eventId != null) {
            batchEventIds.remove(eventId);
        }
    }

    /** True once its delivery left a request for the batch's calls. */
    boolean enlisted() {
        return enlisted;
    }

    /** The event was dead-lettered by its own route: requests it enlisted before failing are not sent. */
    synchronized void withdraw() {
        withdrawn = true;
    }

    synchronized boolean withdrawn() {
        return withdrawn;
    }

    synchronized void fail(RuntimeException reason, String connector, int attempts, long firstFailureAt) {
        if (failure == null) {
            this.failure = reason;
            this.failedAt = connector;
            this.attempts = attempts;
            this.firstFailureAt = firstFailureAt;
        }
    }

    synchronized boolean failed() {
        return failure != null;
    }

    synchronized RuntimeException failure() {
        return failure;
    }

    synchronized String failedAt() {
        return failedAt;
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized long firstFailureAt() {
        return firstFailureAt;
    }
}

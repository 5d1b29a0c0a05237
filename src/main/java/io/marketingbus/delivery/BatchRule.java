package io.marketingbus.delivery;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one platform API takes many events in one call: which requests can share a call, how many fit, how they are
 * merged and how the answer is read back per request. {@link BatchCalls} places the requests a polled batch of
 * events produced into as few calls as these rules allow.
 */
public interface BatchRule {

    /** Sends one request through a connector route and returns the platform's JSON answer; throws what it threw. */
    @FunctionalInterface
    interface Caller {
        JsonNode call(PlatformRequest request) throws Exception;
    }

    /** True if this rule merges requests of this kind sent through this connector (e.g. {@code direct:hubspot-crm}). */
    boolean takes(String connector, PlatformRequest request);

    /** Requests with the same group may share a call (same path, same audience, same GA4 client, ...). */
    String group(PlatformRequest request);

    /** What a request counts against {@link #limit()}: inputs, rows, events. */
    default int weight(PlatformRequest request) {
        return 1;
    }

    /** The API's batch limit, in the unit of {@link #weight}. */
    int limit();

    /**
     * Sends the parts, merged, and says per part whether the platform applied it.
     *
     * @return one entry per part, in order: null when applied, otherwise why not (only that part is dead-lettered)
     * @throws Exception when the call as a whole failed: transient failures are retried, a rejection of several
     *                   parts is split in halves to find the parts at fault
     */
    List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception;
}

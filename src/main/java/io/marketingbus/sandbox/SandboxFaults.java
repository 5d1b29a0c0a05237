package io.marketingbus.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fault injection for the sandbox: the next {@code times} API calls to a platform answer {@code status} (with an
 * optional {@code Retry-After}), and every call is delayed by {@code delayMs}.
 */
public final class SandboxFaults {

    /** One platform's injected fault. {@code times} < 0 means every call until cleared. */
    public record Fault(int status, int times, long delayMs, Integer retryAfterSeconds) {

        ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("status", status).put("times", times).put("delayMs", delayMs);
            if (retryAfterSeconds != null) {
                node.put("retryAfterSeconds", retryAfterSeconds);
            }
            return node;
        }
    }

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();

    public void set(String platform, JsonNode spec) {
        int status = spec.path("status").asInt(0);
        if (status != 0 && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP status code, got " + status);
        }
        Integer retryAfter = spec.hasNonNull("retryAfterSeconds") ? spec.get("retryAfterSeconds").asInt() : null;
        faults.put(platform, new Fault(status, spec.path("times").asInt(-1), Math.max(0, spec.path("delayMs").asLong(0)), retryAfter));
    }

    public void clear(String platform) {
        faults.remove(platform);
    }

    public JsonNode describe(String platform) {
        Fault fault = faults.get(platform);
        return fault == null ? JsonNodeFactory.instance.objectNode() : fault.toJson();
    }

    /** Applies the platform's fault to one call: sleeps for the delay, and returns the failure to answer, if any. */
    public SandboxResponse apply(String platform) throws InterruptedException {
        Fault fault = faults.get(platform);
        if (fault == null) {
            return null;
        }
        if (fault.delayMs() > 0) {
            Thread.sleep(fault.delayMs());
        }
        Fault used = consume(platform);
        if (used == null) {
            return null;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", "error").put("message", "fault injected by the marketing-bus sandbox")
                .put("category", used.status() == 429 ? "RATE_LIMITS" : "INJECTED_FAULT");
        SandboxResponse response = SandboxResponse.json(used.status(), body);
        if (used.retryAfterSeconds() == null) {
            return response;
        }
        Map<String, String> headers = new java.util.HashMap<>(response.headers());
        headers.put("Retry-After", String.valueOf(used.retryAfterSeconds()));
        return new SandboxResponse(response.status(), headers, response.body());
    }

    /** Takes one failure from the platform's budget atomically; null when none is left. */
    private Fault consume(String platform) {
        java.util.concurrent.atomic.AtomicReference<Fault> used = new java.util.concurrent.atomic.AtomicReference<>();
        faults.computeIfPresent(platform, (name, fault) -> {
            if (fault.status() == 0 || fault.times() == 0) {
                return fault;
            }
            used.set(fault);
            return fault.times() < 0 ? fault
                    : new Fault(fault.status(), fault.times() - 1, fault.delayMs(), fault.retryAfterSeconds());
        });
        return used.get();
    }
}

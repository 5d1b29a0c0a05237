package io.marketingbus.platform.facebook;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.MergedArrayRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;

/**
 * Meta catalog {@code POST /{catalog-id}/items_batch} (docs/platforms/facebook.md §10): up to 5,000 item requests per
 * call. Meta answers with {@code handles} and applies the batch later, so the call is followed by
 * {@code GET /{catalog-id}/check_batch_request_status?handle=…} until the batch is {@code finished}; items named in
 * its {@code errors} fail their own events (dead-lettered with Meta's message), the rest are delivered. Graph
 * throttling (80014, 17, 613, ...) pauses the destination as a 429 does ({@link FacebookRateLimits}).
 */
public final class FacebookCatalogItems extends MergedArrayRule {

    public static final int LIMIT = 5_000;
    static final String FINISHED = "finished";

    private final Duration firstPoll;
    private final Duration maxWait;

    /**
     * @param firstPoll wait before the first status check, doubled after each unfinished one (at most 5 s)
     * @param maxWait   how long a batch may stay unfinished before the call counts as failed (and is retried)
     */
    public FacebookCatalogItems(Duration firstPoll, Duration maxWait) {
        super("direct:facebook-graph", "/items_batch", LIMIT, "requests");
        this.firstPoll = firstPoll;
        this.maxWait = maxWait;
    }

    @Override
    protected String groupDetail(JsonNode body) {
        return body.path("item_type").asText() + '|' + body.path("allow_upsert").asText();
    }

    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        Caller paced = FacebookRateLimits.paced(caller);
        PlatformRequest merged = merge(parts);
        JsonNode answer = paced.call(merged);
        JsonNode handles = answer.path("handles");
        if (!handles.isArray() || handles.isEmpty()) {
            throw new PlatformRejectedException("facebook", 200, "Meta gave no batch handle for the catalog items",
                    answer.toString());
        }
        String statusPath = merged.path().substring(0, merged.path().length() - "/items_batch".length())
                + "/check_batch_request_status";
        List<JsonNode> errors = new ArrayList<>();
        for (JsonNode handle : handles) {
            JsonNode status = awaitFinished(paced, statusPath, handle.asText());
            status.path("errors").forEach(errors::add);
        }
        return outcome(parts, errors);
    }

    /** The batch's status once Meta has finished it. */
    JsonNode awaitFinished(Caller caller, String statusPath, String handle) throws Exception {
        String query = "handle=" + URLEncoder.encode(handle, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + maxWait.toNanos();
        Duration wait = firstPoll;
        while (true) {
            sleep(wait);
            JsonNode answer = caller.call(new PlatformRequest("GET", statusPath, query, null));
            JsonNode status = answer.path("data").path(0);
            if (FINISHED.equals(status.path("status").asText())) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                // not the items' fault: the call is retried (an UPDATE with allow_upsert and a DELETE repeat safely)
                throw new IOException("Meta has not finished catalog batch " + handle + " after " + maxWait.toSeconds()
                        + " s (status " + status.path("status").asText("unknown") + ")");
            }
            wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : wait.multipliedBy(2);
        }
    }

    /** Per part: null when applied, else Meta's messages for its item. */
    private List<RuntimeException> outcome(List<PlatformRequest> parts, List<JsonNode> errors) {
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        Map<String, Integer> partOf = new HashMap<>();
        int line = 0;
        Map<Integer, Integer> partOfLine = new HashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            outcome.add(null);
            for (JsonNode request : array(parts.get(i).body())) {
                partOf.put(request.path("data").path("id").asText(), i);
                partOfLine.put(line++, i);
            }
        }
        Map<Integer, StringBuilder> messages = new HashMap<>();
        for (JsonNode error : errors) {
            Integer part = error.hasNonNull("id") ? partOf.get(error.get("id").asText())
                    : error.path("line").canConvertToInt() ? partOfLine.get(error.get("line").asInt()) : null;
            if (part == null) {
                if (parts.size() == 1) {
                    part = 0;
                } else {
                    // an error Meta does not place: halve the call until each item is judged alone
                    throw new PlatformRejectedException("facebook", 200, "Meta refused a catalog item it did not name: "
                            + error.path("message").asText(), error.toString());
                }
            }
            StringBuilder text = messages.computeIfAbsent(part, p -> new StringBuilder());
            text.append(text.length() == 0 ? "" : "; ").append(error.path("message").asText("no message given"));
        }
        messages.forEach((part, text) -> outcome.set(part, new PlatformRejectedException("facebook", 200,
                "Meta refused catalog item " + array(parts.get(part).body()).path(0).path("data").path("id").asText()
                        + ": " + text, text.toString())));
        return outcome;
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.camel.RuntimeCamelException("interrupted while waiting for a Meta catalog batch", e);
        }
    }
}

package io.marketingbus.platform.salesforce;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;

/**
 * sObject Collections upsert (docs/platforms/salesforce.md §4): up to 200 records of one object, keyed by one
 * external-id field, {@code allOrNone=false}. Salesforce answers 200 with one result per record, in order; a record
 * it did not apply ({@code success:false}, e.g. {@code DUPLICATE_EXTERNAL_ID} when the external id matches several
 * records, or {@code INVALID_EMAIL_ADDRESS}) fails only its own event, with Salesforce's error as the reason.
 */
public final class SalesforceCollectionsUpsert implements BatchRule {

    public static final int LIMIT = 200;
    static final String CONNECTOR = "direct:salesforce-api";

    @Override
    public boolean takes(String connector, PlatformRequest request) {
        return CONNECTOR.equals(connector) && "PATCH".equals(request.method())
                && request.path().startsWith("/composite/sobjects/") && request.body() != null
                && request.body().path("records").isArray();
    }

    @Override
    public String group(PlatformRequest request) {
        return request.path();
    }

    @Override
    public int weight(PlatformRequest request) {
        return Math.max(1, request.body().path("records").size());
    }

    @Override
    public int limit() {
        return LIMIT;
    }

    /**
     * Sends the parts in as few calls as their keys allow: Salesforce applies none of the records of one call that
     * share an external id, so a key met again (a subscribe, then an unsubscribe of the same person) waits for the
     * next call, and the changes land in the events' order.
     */
    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        String keyField = parts.get(0).path().substring(parts.get(0).path().lastIndexOf('/') + 1);
        RuntimeException[] outcome = new RuntimeException[parts.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            List<Integer> round = new ArrayList<>();
            List<Integer> later = new ArrayList<>();
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (int i : pending) {
                boolean fresh = true;
                java.util.Set<String> own = new java.util.HashSet<>();
                for (JsonNode record : parts.get(i).body().path("records")) {
                    String key = record.path(keyField).asText("").toLowerCase(java.util.Locale.ROOT);
                    fresh &= !keys.contains(key) && own.add(key);
                }
                // a part whose keys clash with an earlier one (or with each other) waits for the next round
                if (fresh || round.isEmpty() && later.isEmpty()) {
                    round.add(i);
                    keys.addAll(own);
                } else {
                    later.add(i);
                }
            }
            List<RuntimeException> results = sendOnce(round.stream().map(parts::get).toList(), caller);
            for (int j = 0; j < round.size(); j++) {
                outcome[round.get(j)] = results.get(j);
            }
            pending = later;
        }
        return java.util.Arrays.asList(outcome);
    }

    private List<RuntimeException> sendOnce(List<PlatformRequest> parts, Caller caller) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("allOrNone", false);
        ArrayNode records = body.putArray("records");
        parts.forEach(part -> part.body().path("records").forEach(records::add));
        JsonNode results = caller.call(new PlatformRequest("PATCH", parts.get(0).path(), null, body));
        if (!results.isArray() || results.size() != records.size()) {
            throw new IllegalStateException("Salesforce answered " + results.size() + " results for " + records.size() + " records");
        }
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        int next = 0;
        for (PlatformRequest part : parts) {
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < part.body().path("records").size(); i++) {
                JsonNode result = results.get(next++);
                if (!result.path("success").asBoolean(false)) {
                    result.path("errors").forEach(e -> errors.add(
                            e.path("statusCode").asText(e.path("errorCode").asText("ERROR")) + ": " + e.path("message").asText()));
                }
            }
            outcome.add(errors.isEmpty() ? null : new PlatformRejectedException("salesforce", 200,
                    "Salesforce did not apply the record: " + String.join("; ", errors), results.toString()));
        }
        return outcome;
    }
}

package io.marketingbus.platform.hubspot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.MergedArrayRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;

/**
 * HubSpot CRM v3 batch upsert (docs/platforms/hubspot.md §5): up to 100 inputs per call. A 207 Multi-Status answer
 * names the inputs it did not apply (by id in the error's context, or by {@code objectWriteTraceId}); only the
 * events behind those fail. An error that names no input fails the call, which is then split to find the culprit.
 */
public final class HubSpotBatchUpsert extends MergedArrayRule {

    public static final int LIMIT = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public HubSpotBatchUpsert() {
        super("direct:hubspot-crm", "/batch/upsert", LIMIT, "inputs");
    }

    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        try {
            caller.call(merge(parts));
            return read(parts, null);
        } catch (PlatformRejectedException partial) {
            if (partial.status() != 207) {
                throw partial;
            }
            return failedInputs(parts, partial);
        }
    }

    private List<RuntimeException> failedInputs(List<PlatformRequest> parts, PlatformRejectedException partial)
            throws PlatformRejectedException {
        JsonNode body;
        try {
            body = MAPPER.readTree(partial.responseBody());
        } catch (Exception unreadable) {
            throw partial;
        }
        Set<String> named = new HashSet<>();
        List<String> messages = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            messages.add(error.path("category").asText("ERROR") + ": " + error.path("message").asText("no message"));
            error.path("context").path("ids").forEach(id -> named.add(id.asText().toLowerCase(Locale.ROOT)));
            error.path("context").path("objectWriteTraceId").forEach(id -> named.add(id.asText()));
            if (error.hasNonNull("objectWriteTraceId")) {
                named.add(error.get("objectWriteTraceId").asText());
            }
        }
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        boolean matched = false;
        for (PlatformRequest part : parts) {
            boolean failed = false;
            for (JsonNode input : part.body().path("inputs")) {
                failed |= named.contains(input.path("id").asText().toLowerCase(Locale.ROOT))
                        || named.contains(input.path("objectWriteTraceId").asText());
            }
            matched |= failed;
            outcome.add(failed ? new PlatformRejectedException("hubspot", 207, "HubSpot did not apply the input: "
                    + String.join("; ", messages), partial.responseBody()) : null);
        }
        if (!matched) {
            throw partial;
        }
        return outcome;
    }
}

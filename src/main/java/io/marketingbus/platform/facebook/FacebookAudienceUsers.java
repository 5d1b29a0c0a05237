package io.marketingbus.platform.facebook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.MergedArrayRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;

/**
 * Meta Custom Audience {@code POST /{audience-id}/users} (docs/platforms/facebook.md §3): up to 10,000 rows of one schema
 * per call, in one session. Rows Meta reports in {@code invalid_entry_samples} fail their events; invalid rows it
 * does not show make the call fail, which is then split until each row is judged on its own.
 */
public final class FacebookAudienceUsers extends MergedArrayRule {

    public static final int LIMIT = 10_000;

    public FacebookAudienceUsers() {
        super("direct:facebook-graph", "/users", LIMIT, "payload", "data");
    }

    @Override
    protected String groupDetail(JsonNode body) {
        return body.path("payload").path("schema").toString();
    }

    @Override
    protected void completed(ObjectNode body, int items) {
        if (body.path("session").isObject()) {
            ((ObjectNode) body.get("session")).put("estimated_num_total", items);
        }
    }

    /** Graph throttling pauses the destination (as a 429) instead of dead-lettering the events. */
    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        return super.send(parts, FacebookRateLimits.paced(caller));
    }

    @Override
    protected List<RuntimeException> read(List<PlatformRequest> parts, JsonNode response) {
        int rows = 0;
        for (PlatformRequest part : parts) {
            rows += array(part.body()).size();
        }
        int invalid = response.path("num_invalid_entries").asInt(0);
        if (invalid == 0 && response.path("num_received").asInt(rows) >= rows) {
            return super.read(parts, response);
        }
        Set<String> samples = new HashSet<>();
        response.path("invalid_entry_samples").forEach(sample -> samples.add(sample.asText()));
        List<RuntimeException> outcome = new ArrayList<>(parts.size());
        int identified = 0;
        for (PlatformRequest part : parts) {
            boolean bad = false;
            for (JsonNode row : array(part.body())) {
                bad |= samples.contains(row.toString());
            }
            identified += bad ? 1 : 0;
            outcome.add(bad ? new PlatformRejectedException("facebook", 200, "Meta did not add the audience row: "
                    + response.path("invalid_entry_samples"), response.toString()) : null);
        }
        if (identified < invalid || identified == 0) {
            throw new PlatformRejectedException("facebook", 200, "Meta did not add " + invalid + " of " + rows
                    + " audience rows: " + response.path("invalid_entry_samples"), response.toString());
        }
        return outcome;
    }
}

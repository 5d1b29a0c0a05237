package io.marketingbus.platform.ga4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.MergedArrayRule;

/**
 * GA4 Measurement Protocol {@code /mp/collect} (docs/platforms/ga4.md §3): up to 25 events per hit. A hit describes one
 * user, so only hits whose every other field (client, user id, user data, consent, timestamp) is equal merge. GA4
 * answers 2xx whatever it thinks of the events.
 */
public final class Ga4CollectBatch extends MergedArrayRule {

    public static final int LIMIT = 25;

    public Ga4CollectBatch() {
        super("direct:ga4-collect", "/mp/collect", LIMIT, "events");
    }

    @Override
    protected String groupDetail(JsonNode body) {
        ObjectNode rest = ((ObjectNode) body).deepCopy();
        rest.remove("events");
        return rest.toString();
    }
}

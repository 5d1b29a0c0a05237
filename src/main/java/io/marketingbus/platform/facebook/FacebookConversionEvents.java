package io.marketingbus.platform.facebook;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.MergedArrayRule;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;

/**
 * Meta Conversions API {@code POST /{pixel-id}/events} (docs/platforms/facebook.md §4): up to 1,000 events per call. One
 * invalid event rejects the whole call, so a rejected call is split until the invalid event is alone.
 */
public final class FacebookConversionEvents extends MergedArrayRule {

    public static final int LIMIT = 1_000;

    public FacebookConversionEvents() {
        super("direct:facebook-graph", "/events", LIMIT, "data");
    }

    @Override
    protected String groupDetail(JsonNode body) {
        return body.path("test_event_code").asText("");
    }

    /** Graph throttling pauses the destination (as a 429) instead of dead-lettering the events. */
    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        return super.send(parts, FacebookRateLimits.paced(caller));
    }

    @Override
    protected List<RuntimeException> read(List<PlatformRequest> parts, JsonNode response) {
        int sent = 0;
        for (PlatformRequest part : parts) {
            sent += array(part.body()).size();
        }
        if (response.path("events_received").asInt(-1) != sent) {
            throw new PlatformRejectedException("facebook", 200, "Meta received " + response.path("events_received")
                    + " of " + sent + " Conversions API events", response.toString());
        }
        return super.read(parts, response);
    }
}

package io.marketingbus.platform.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.platform.BearerTokenConnector;
import io.marketingbus.platform.TokenSource;
import org.apache.camel.Exchange;

/**
 * HubSpot's CRM API (docs/platforms/hubspot.md §3, §4, §5): a private-app token, or an OAuth app's token refreshed
 * before its 30 min run out ({@link TokenSource}), as bearer; a 2xx batch write
 * may still report failed inputs (207), which is a rejection ({@link HubSpotResponses}); reads are taken as they
 * come (a batch read may omit deleted records).
 */
public final class HubSpotCrmConnector extends BearerTokenConnector {

    public HubSpotCrmConnector(TokenSource tokens) {
        super(tokens);
    }

    @Override
    public void readAnswer(Exchange exchange) throws Exception {
        PlatformCalls.readJson(exchange);
        PlatformRequest request = exchange.getProperty(PlatformCalls.REQUEST, PlatformRequest.class);
        boolean read = request == null || "GET".equals(request.method()) || request.path().endsWith("/batch/read")
                || request.path().endsWith("/search");
        if (!read) {
            HubSpotResponses.requireApplied(exchange.getProperty(PlatformCalls.RESPONSE_STATUS, 200, Integer.class),
                    exchange.getMessage().getBody(JsonNode.class));
        }
    }
}

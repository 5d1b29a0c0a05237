package io.marketingbus.platform.mixpanel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.platform.Connector;
import org.apache.camel.Exchange;

/**
 * Mixpanel's Ingestion API (docs/platforms/mixpanel.md §2–§5). {@code /import} with the service account as HTTP
 * Basic (the project id is in the query) and its body gzipped ({@code Content-Encoding: gzip}: camel-http compresses
 * the body when the header is set); {@code /engage} authenticates with {@code $token} in each update, is sent
 * uncompressed (Mixpanel's profile endpoints take no gzip) and answers 200 even when it refused the update, which
 * {@code ?verbose=1} makes readable: {@code "status": 0} is a rejection with Mixpanel's error.
 */
public final class MixpanelConnector implements Connector {

    private final String basic;

    public MixpanelConnector(String username, String secret) {
        this.basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void authorize(Exchange exchange) {
        PlatformRequest request = exchange.getProperty(PlatformCalls.REQUEST, PlatformRequest.class);
        if (request != null && MixpanelBatches.IMPORT.equals(request.path())) {
            exchange.getMessage().setHeader("Authorization", basic);
            exchange.getMessage().setHeader("Content-Encoding", "gzip");
        }
    }

    @Override
    public void readAnswer(Exchange exchange) throws Exception {
        PlatformCalls.readJson(exchange);
        PlatformRequest request = exchange.getProperty(PlatformCalls.REQUEST, PlatformRequest.class);
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        if (request != null && MixpanelBatches.ENGAGE.equals(request.path()) && answer.path("status").asInt(0) != 1) {
            throw new PlatformRejectedException("mixpanel",
                    exchange.getProperty(PlatformCalls.RESPONSE_STATUS, 200, Integer.class),
                    "Mixpanel refused the profile update: " + answer.path("error").asText("no error given"),
                    answer.toString());
        }
    }
}

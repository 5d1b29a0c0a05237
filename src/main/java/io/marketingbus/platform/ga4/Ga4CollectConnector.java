package io.marketingbus.platform.ga4;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.platform.Connector;
import org.apache.camel.Exchange;

/**
 * GA4's Measurement Protocol collect endpoint (docs/platforms/ga4.md §2): the measurement id and API secret go in
 * the query string, as GA4 offers no header for them. It answers 204 without a body whatever it drops. A request
 * that names a tracking stream ({@code measurement_id=...}, {@link Ga4Forwarding}) gets that stream's secret;
 * every other one the relay's stream.
 */
public final class Ga4CollectConnector implements Connector {

    private final String query;
    private final Map<String, String> trackedSecrets;

    public Ga4CollectConnector(String measurementId, String apiSecret) {
        this(measurementId, apiSecret, Map.of());
    }

    /** @param trackedSecrets the tracking streams' API secrets by measurement id */
    public Ga4CollectConnector(String measurementId, String apiSecret, Map<String, String> trackedSecrets) {
        this.query = query(measurementId, apiSecret);
        this.trackedSecrets = Map.copyOf(trackedSecrets);
    }

    @Override
    public void authorize(Exchange exchange) {
        PlatformRequest request = exchange.getProperty(PlatformCalls.REQUEST, PlatformRequest.class);
        String stream = request == null ? null : measurementId(request.query());
        if (stream == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            return;
        }
        String secret = trackedSecrets.get(stream);
        if (secret == null) {
            throw new IllegalStateException("no API secret for GA4 stream " + stream);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query(stream, secret));
    }

    private static String measurementId(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("measurement_id=")) {
                return URLDecoder.decode(pair.substring("measurement_id=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String query(String measurementId, String apiSecret) {
        return "measurement_id=" + URLEncoder.encode(measurementId, StandardCharsets.UTF_8) + "&api_secret="
                + URLEncoder.encode(apiSecret, StandardCharsets.UTF_8);
    }
}

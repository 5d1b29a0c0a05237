package io.marketingbus.platform.ga4;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.marketingbus.platform.Connector;
import org.apache.camel.Exchange;

/**
 * GA4's Measurement Protocol collect endpoint (docs/platforms/ga4.md §2): the measurement id and API secret go in
 * the query string, as GA4 offers no header for them. It answers 204 without a body whatever it drops.
 */
public final class Ga4CollectConnector implements Connector {

    private final String query;

    public Ga4CollectConnector(String measurementId, String apiSecret) {
        this.query = "measurement_id=" + URLEncoder.encode(measurementId, StandardCharsets.UTF_8) + "&api_secret="
                + URLEncoder.encode(apiSecret, StandardCharsets.UTF_8);
    }

    @Override
    public void authorize(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
    }
}

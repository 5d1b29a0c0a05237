package io.marketingbus.platform;

import org.apache.camel.Exchange;

/** The common case: {@code Authorization: Bearer <token>}, the token from a setting. */
public abstract class BearerTokenConnector implements Connector {

    private final String token;

    protected BearerTokenConnector(String token) {
        this.token = token;
    }

    @Override
    public void authorize(Exchange exchange) throws Exception {
        exchange.getMessage().setHeader("Authorization", "Bearer " + token);
    }
}

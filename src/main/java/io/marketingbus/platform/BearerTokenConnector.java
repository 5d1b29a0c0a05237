package io.marketingbus.platform;

import org.apache.camel.Exchange;

/**
 * The common case: {@code Authorization: Bearer <token>}, the token from a {@link TokenSource} (a static setting,
 * or {@link OAuthTokens}, refreshed before it expires and once more after a 401).
 */
public abstract class BearerTokenConnector implements Connector {

    private final TokenSource tokens;

    protected BearerTokenConnector(String token) {
        this(TokenSource.fixed(token));
    }

    protected BearerTokenConnector(TokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public void authorize(Exchange exchange) throws Exception {
        exchange.getMessage().setHeader("Authorization", "Bearer " + tokens.token());
    }

    @Override
    public void reauthorize(Exchange exchange) throws Exception {
        String sent = exchange.getMessage().getHeader("Authorization", "", String.class);
        if (tokens.refreshAfterRejection(sent.startsWith("Bearer ") ? sent.substring(7) : sent) == null) {
            throw Connector.caught(exchange);
        }
    }
}

package io.marketingbus.platform.googleads;

import io.marketingbus.platform.BearerTokenConnector;
import io.marketingbus.platform.TokenSource;
import org.apache.camel.Exchange;

/**
 * The Google Ads API, REST (docs/platforms/google-ads.md §1, §2): the OAuth access token as bearer (static or
 * refreshed, {@link TokenSource}), the developer token,
 * and, when acting through a manager account, {@code login-customer-id}.
 */
public final class GoogleAdsConnector extends BearerTokenConnector {

    private final String developerToken;
    private final String loginCustomerId;

    public GoogleAdsConnector(TokenSource tokens, String developerToken, String loginCustomerId) {
        super(tokens);
        this.developerToken = developerToken;
        this.loginCustomerId = loginCustomerId == null ? "" : loginCustomerId.replace("-", "").trim();
    }

    @Override
    public void authorize(Exchange exchange) throws Exception {
        super.authorize(exchange);
        exchange.getMessage().setHeader("developer-token", developerToken);
        if (!loginCustomerId.isEmpty()) {
            exchange.getMessage().setHeader("login-customer-id", loginCustomerId);
        }
    }
}

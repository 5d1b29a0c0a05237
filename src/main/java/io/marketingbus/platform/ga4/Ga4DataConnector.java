package io.marketingbus.platform.ga4;

import io.marketingbus.platform.BearerTokenConnector;
import io.marketingbus.platform.TokenSource;

/**
 * GA4's Data API (docs/platforms/ga4.md §5, §7): an OAuth access token with {@code analytics.readonly} as bearer,
 * static or refreshed ({@link TokenSource}).
 */
public final class Ga4DataConnector extends BearerTokenConnector {

    public Ga4DataConnector(TokenSource tokens) {
        super(tokens);
    }
}

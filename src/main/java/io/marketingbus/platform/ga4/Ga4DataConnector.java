package io.marketingbus.platform.ga4;

import io.marketingbus.platform.BearerTokenConnector;

/** GA4's Data API (docs/platforms/ga4.md §5): an OAuth access token with {@code analytics.readonly} as bearer. */
public final class Ga4DataConnector extends BearerTokenConnector {

    public Ga4DataConnector(String accessToken) {
        super(accessToken);
    }
}

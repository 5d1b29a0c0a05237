package io.marketingbus.platform.facebook;

import io.marketingbus.platform.BearerTokenConnector;

/**
 * Meta's Graph / Marketing API (docs/platforms/facebook.md §2): the system-user token as a bearer header, never in
 * the URL, where proxies log it.
 */
public final class FacebookGraphConnector extends BearerTokenConnector {

    public FacebookGraphConnector(String accessToken) {
        super(accessToken);
    }
}

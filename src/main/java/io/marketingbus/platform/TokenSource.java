package io.marketingbus.platform;

/**
 * Where a connector gets its access token: a static one as given ({@link #fixed}), or {@link OAuthTokens}, one
 * token per credential shared by every thread and route, refreshed before it expires.
 */
public interface TokenSource {

    /** A token valid now (refreshed first if it is about to expire). */
    String token() throws Exception;

    /**
     * The platform refused {@code rejected} (HTTP 401): a fresh token, or null when this source cannot refresh (a
     * static token), in which case the 401 stands.
     */
    String refreshAfterRejection(String rejected) throws Exception;

    /** A token taken as given, never refreshed (a private-app token, or a token a script renews outside the bus). */
    static TokenSource fixed(String token) {
        return new TokenSource() {
            @Override
            public String token() {
                return token;
            }

            @Override
            public String refreshAfterRejection(String rejected) {
                return null;
            }
        };
    }
}

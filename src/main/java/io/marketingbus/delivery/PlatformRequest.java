package io.marketingbus.delivery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call to a platform's HTTP API, relative to its {@code <platform>.base-url}: what an outbound translator
 * produces and a connector route sends. An {@linkplain #internal internal} request is no HTTP call: it is what a
 * handler enlists for a {@link BatchRule} that turns a batch of them into the platform's real calls (Google Ads user
 * list members into offline user data jobs); a connector refuses to send one.
 *
 * @param method an HTTP method, or {@link #INTERNAL}
 * @param path   the path, or for an internal request its kind and key ({@code google-ads/user-list-member/123})
 * @param query  the raw query string without {@code ?}, or null
 * @param body   the JSON body, or null for none
 */
public record PlatformRequest(String method, String path, String query, JsonNode body) {

    public static final String INTERNAL = "INTERNAL";

    /** A request only a batch rule can send (see {@link PlatformRequest}). */
    public static PlatformRequest internal(String kindAndKey, JsonNode body) {
        return new PlatformRequest(INTERNAL, kindAndKey, null, body);
    }

    public boolean internal() {
        return INTERNAL.equals(method);
    }
}

package io.marketingbus.delivery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call to a platform's HTTP API, relative to its {@code <platform>.base-url}: what an outbound translator
 * produces and a connector route sends.
 *
 * @param query the raw query string without {@code ?}, or null
 * @param body  the JSON body, or null for none
 */
public record PlatformRequest(String method, String path, String query, JsonNode body) {
}

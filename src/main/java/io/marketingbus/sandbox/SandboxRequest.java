package io.marketingbus.sandbox;

import java.util.Map;

/**
 * A request to an emulated platform.
 *
 * @param path    the path below {@code /sandbox/<platform>}, e.g. {@code /crm/v3/objects/contacts/batch/upsert}
 * @param headers request headers, names lower-cased
 */
public record SandboxRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                             byte[] body) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}

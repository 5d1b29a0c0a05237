package io.marketingbus.sandbox;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What every emulated API does the same way: JSON bodies only, and hashed identifiers that look hashed. */
public final class SandboxJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private SandboxJson() {
    }

    /** The JSON object in the body, or null when the content type or the body is not a JSON object. */
    public static JsonNode object(SandboxRequest request) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(request.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static boolean isSha256(JsonNode value) {
        return value != null && value.isTextual() && SHA256_HEX.matcher(value.asText()).matches();
    }

    public static boolean bearer(SandboxRequest request, String token) {
        String auth = request.header("authorization");
        return auth != null && auth.equals("Bearer " + token);
    }
}

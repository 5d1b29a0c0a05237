package io.marketingbus.platform.make;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * Make's custom webhooks (docs/platforms/make.md §1): {@code POST /<token>} with a JSON body, answered
 * {@code 200 Accepted} (text), a body over 5 MB {@code 413}. Stricter than Make: a token that is not 32 lower-case
 * letters and digits is a 404, a non-JSON body a 400. What arrived: {@code GET /sandbox/make/webhooks}.
 */
public final class MakeSandbox implements SandboxPlatform {

    public static final int MAX_BODY = 5 * 1024 * 1024;
    private static final Pattern TOKEN = Pattern.compile("^/[a-z0-9]{32}$");
    private final ArrayNode received = SandboxJson.MAPPER.createArrayNode();

    @Override
    public String name() {
        return "make";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (!TOKEN.matcher(request.path()).matches() || !request.method().equals("POST")) {
            return text(404, "There is no scenario listening for this webhook.");
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (body.length > MAX_BODY) {
            return text(413, "Payload too large.");
        }
        String contentType = request.header("content-type") == null ? "" : request.header("content-type").toLowerCase(Locale.ROOT);
        JsonNode json;
        try {
            json = contentType.startsWith("application/json") ? SandboxJson.MAPPER.readTree(body) : null;
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            return text(400, "The body is not a JSON object.");
        }
        ObjectNode entry = SandboxJson.MAPPER.createObjectNode();
        entry.put("webhook", request.path());
        entry.set("body", json);
        received.add(entry);
        return text(200, "Accepted");
    }

    private static SandboxResponse text(int status, String text) {
        return new SandboxResponse(status, Map.of("Content-Type", "text/plain;charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized JsonNode state(String collection) {
        return "webhooks".equals(collection) ? received.deepCopy() : null;
    }

    @Override
    public synchronized void reset() {
        received.removeAll();
    }
}

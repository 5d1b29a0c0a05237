package io.marketingbus.platform.zapier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.ingress.FormFields;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * Zapier's catch hooks (docs/platforms/zapier.md §1): {@code POST|PUT|GET /hooks/catch/{account}/{hook}/} (and the
 * REST-hook form {@code /hooks/standard/{account}/{hook}/}), a JSON, form or query-string body, answered
 * {@code 200} with Zapier's debug payload ({@code zapier-catch-hook-response.json}), or an empty body on
 * {@code .../silent/}. Stricter than Zapier: an unknown path is a 404 and a body sent as JSON that is no JSON a
 * 400 (Zapier would store it as raw text). A hook listed by {@code POST /sandbox/zapier/gone} (body: its path)
 * answers {@code 410 Gone}, as a turned-off REST-hook Zap does. What arrived: {@code GET /sandbox/zapier/hooks}.
 */
public final class ZapierSandbox implements SandboxPlatform {

    private static final Pattern HOOK = Pattern.compile("^/hooks/(catch|standard)/([0-9]+)/([A-Za-z0-9]+)/(silent/)?$");
    private final ArrayNode received = SandboxJson.MAPPER.createArrayNode();
    private final java.util.Set<String> gone = new java.util.HashSet<>();

    @Override
    public String name() {
        return "zapier";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if ("/gone".equals(request.path()) && "POST".equals(request.method())) {
            gone.add(new String(request.body(), StandardCharsets.UTF_8).trim());
            return SandboxResponse.empty(204);
        }
        Matcher hook = HOOK.matcher(request.path());
        if (!hook.matches() || !(request.method().equals("POST") || request.method().equals("PUT")
                || request.method().equals("GET"))) {
            return SandboxResponse.json(404, SandboxJson.MAPPER.createObjectNode().put("status", "error")
                    .put("message", "no catch hook at " + request.method() + " " + request.path()));
        }
        String path = "/hooks/" + hook.group(1) + "/" + hook.group(2) + "/" + hook.group(3) + "/";
        if (gone.contains(path)) {
            return SandboxResponse.empty(410);
        }
        ObjectNode entry = SandboxJson.MAPPER.createObjectNode();
        entry.put("hook", path);
        String contentType = request.header("content-type") == null ? "" : request.header("content-type").toLowerCase(Locale.ROOT);
        byte[] body = request.body() == null ? new byte[0] : request.body();
        try {
            if (contentType.startsWith("application/json")) {
                entry.set("body", SandboxJson.MAPPER.readTree(body));
            } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
                entry.set("body", SandboxJson.MAPPER.valueToTree(FormFields.nest(FormFields.decode(
                        new String(body, StandardCharsets.UTF_8)))));
            } else {
                entry.set("body", SandboxJson.MAPPER.valueToTree(request.query()));
            }
        } catch (IOException | RuntimeException e) {
            return SandboxResponse.json(400, SandboxJson.MAPPER.createObjectNode().put("status", "error")
                    .put("message", "the body is not valid JSON"));
        }
        received.add(entry);
        if (hook.group(4) != null) {
            return SandboxResponse.empty(200);
        }
        String id = UUID.randomUUID().toString();
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.put("attempt", id);
        answer.put("id", id);
        answer.put("request_id", id);
        answer.put("status", "success");
        return SandboxResponse.json(200, answer);
    }

    @Override
    public synchronized JsonNode state(String collection) {
        return "hooks".equals(collection) ? received.deepCopy() : null;
    }

    @Override
    public synchronized void reset() {
        received.removeAll();
        gone.clear();
    }
}

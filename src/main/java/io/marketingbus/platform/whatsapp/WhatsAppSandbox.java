package io.marketingbus.platform.whatsapp;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.Identifiers;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * The Cloud API path the bus calls (docs/platforms/whatsapp.md §3, §5): {@code POST /{version}/{phone-number-id}/messages}
 * with {@code Authorization: Bearer}, {@code messaging_product=whatsapp}, a template message (approved name,
 * language, body parameters) to a number in international form. Refusals in Graph's error shape: 190 (token), 100
 * (invalid parameter), 132001 (template unknown), 131030 (recipient not in the allowed list: a test number sends
 * only to the numbers in {@code allowed}), 130429 (over {@code messagesPerSecond}, the number's throughput; sent
 * with HTTP 400, unverified). Sent messages are
 * readable at {@code GET /sandbox/whatsapp/messages}, refusals (their Graph errors) at {@code /sandbox/whatsapp/refused}.
 */
public final class WhatsAppSandbox implements SandboxPlatform {

    private static final Pattern PATH = Pattern.compile("/(v\\d+\\.\\d+)/([0-9]+)/messages");
    private static final Pattern WA_ID = Pattern.compile("\\+?[1-9][0-9]{7,14}");

    private final String accessToken;
    private final String phoneNumberId;
    private final Set<String> templates;
    private final Set<String> allowed;
    private final ArrayNode messages = SandboxJson.MAPPER.createArrayNode();
    private final ArrayNode refused = SandboxJson.MAPPER.createArrayNode();
    private final int messagesPerSecond;
    private final Clock clock;
    private final Deque<Long> recent = new ArrayDeque<>();
    private int next = 1;

    /**
     * @param templates the approved template names
     * @param allowed   the recipients (wa_id, digits) a test number may send to; empty: any
     */
    public WhatsAppSandbox(String accessToken, String phoneNumberId, Set<String> templates, Set<String> allowed) {
        this(accessToken, phoneNumberId, templates, allowed, 80, Clock.systemUTC());
    }

    /** @param messagesPerSecond the number's throughput; above it, 130429 */
    public WhatsAppSandbox(String accessToken, String phoneNumberId, Set<String> templates, Set<String> allowed,
                           int messagesPerSecond, Clock clock) {
        this.messagesPerSecond = messagesPerSecond;
        this.clock = clock;
        this.accessToken = accessToken;
        this.phoneNumberId = phoneNumberId;
        this.templates = Set.copyOf(templates);
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public String name() {
        return "whatsapp";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        SandboxResponse response = answer(request);
        if (response.status() >= 400) {
            try {
                refused.add(SandboxJson.MAPPER.readTree(response.body()).path("error"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return response;
    }

    private SandboxResponse answer(SandboxRequest request) {
        Matcher path = PATH.matcher(request.path());
        if (!path.matches() || !"POST".equals(request.method())) {
            return error(400, "Unsupported post request. Object with ID '" + request.path() + "' does not exist", 100, "GraphMethodException");
        }
        if (!SandboxJson.bearer(request, accessToken)) {
            return error(401, "Error validating access token", 190, "OAuthException");
        }
        long now = clock.millis();
        while (!recent.isEmpty() && recent.peekFirst() <= now - 1000) {
            recent.pollFirst();
        }
        if (recent.size() >= messagesPerSecond) {
            return error(400, "(#130429) Rate limit hit", 130429, "OAuthException");
        }
        recent.addLast(now);
        if (!path.group(2).equals(phoneNumberId)) {
            return error(400, "Object with ID '" + path.group(2) + "' does not exist", 100, "GraphMethodException");
        }
        JsonNode body = SandboxJson.object(request);
        if (body == null) {
            return error(400, "(#100) The parameter messaging_product is required.", 100, "OAuthException");
        }
        if (!"whatsapp".equals(body.path("messaging_product").asText())) {
            return error(400, "(#100) The parameter messaging_product is required.", 100, "OAuthException");
        }
        String to = body.path("to").asText("");
        if (!WA_ID.matcher(to).matches()) {
            return error(400, "(#100) Invalid parameter: to", 100, "OAuthException");
        }
        String waId = to.startsWith("+") ? to.substring(1) : to;
        if (!"template".equals(body.path("type").asText())) {
            return error(400, "(#131047) Re-engagement message: only a template opens a conversation", 131047, "OAuthException");
        }
        JsonNode template = body.path("template");
        String name = template.path("name").asText("");
        String language = template.path("language").path("code").asText("");
        if (name.isEmpty() || language.isEmpty()) {
            return error(400, "(#100) The parameter template['name'] and template['language']['code'] are required.", 100, "OAuthException");
        }
        if (!templates.contains(name)) {
            return error(404, "(#132001) Template name does not exist in the translation", 132001, "OAuthException");
        }
        for (JsonNode component : template.path("components")) {
            if (!Set.of("header", "body", "button").contains(component.path("type").asText())) {
                return error(400, "(#131008) Required parameter is missing: components[].type", 131008, "OAuthException");
            }
            for (JsonNode p : component.path("parameters")) {
                if (!"text".equals(p.path("type").asText()) || p.path("text").asText("").isBlank()) {
                    return error(400, "(#131008) Required parameter is missing: parameters[].text", 131008, "OAuthException");
                }
            }
        }
        if (!allowed.isEmpty() && !allowed.contains(waId)) {
            return error(400, "(#131030) Recipient phone number not in allowed list", 131030, "OAuthException");
        }
        String wamid = "wamid.SANDBOX" + String.format("%012d", next++);
        ObjectNode stored = messages.addObject();
        stored.put("id", wamid);
        stored.set("request", body.deepCopy());
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        response.put("messaging_product", "whatsapp");
        response.putArray("contacts").addObject().put("input", to).put("wa_id", waId);
        response.putArray("messages").addObject().put("id", wamid).put("message_status", "accepted");
        return SandboxResponse.json(200, response);
    }

    @Override
    public synchronized JsonNode state(String collection) {
        return switch (collection) {
            case "messages" -> messages.deepCopy();
            case "refused" -> refused.deepCopy();
            default -> null;
        };
    }

    @Override
    public synchronized void reset() {
        messages.removeAll();
        refused.removeAll();
    }

    /** Graph's error shape. */
    static SandboxResponse error(int status, String message, int code, String type) {
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", type).put("code", code).put("fbtrace_id", "SANDBOX" + Identifiers.sha256Hex(message).substring(0, 8));
        return SandboxResponse.json(status, body);
    }
}

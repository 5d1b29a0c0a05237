package io.marketingbus.api.hooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;
import org.apache.camel.Exchange;

/**
 * Zapier REST hooks (docs/api-hooks.md): {@code POST /v1/hooks} subscribes a {@code target_url} to event types,
 * {@code GET /v1/hooks} lists the caller's subscriptions, {@code DELETE /v1/hooks/{id}} ends one. Each call carries
 * an API key ({@code Authorization: Bearer <key>}, keys from {@code api.hook-keys = <name>=<key>,...}, compared in
 * constant time); a subscription belongs to the key's name and only that name sees or deletes it (another's id is
 * a 404, as an unknown one).
 */
public final class ApiHooks {

    /** The docs' and the README's key: accepted in dev, refused at start in prod. */
    public static final String DEV_KEY = "sandbox-hook-key";
    static final int MAX_BODY = 16_384;
    static final int MAX_EVENTS = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, byte[]> keys;
    private final HookSubscriptions subscriptions;
    private final HookTargets targets;

    public ApiHooks(Map<String, String> keys, HookSubscriptions subscriptions, HookTargets targets) {
        this.keys = new LinkedHashMap<>();
        keys.forEach((name, key) -> this.keys.put(name, key.getBytes(StandardCharsets.UTF_8)));
        this.subscriptions = subscriptions;
        this.targets = targets;
    }

    /**
     * {@code api.hook-keys}: {@code <name>=<key>} pairs, comma-separated; in prod a key under 16 characters or
     * containing {@code sandbox} is refused.
     */
    public static Map<String, String> parseKeys(String setting, boolean sandboxed) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String entry : (setting == null ? "" : setting).split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException("api.hook-keys: an entry is not <name>=<key>");
            }
            String key = trimmed.substring(eq + 1).trim();
            if (!sandboxed && (key.length() < 16 || key.contains("sandbox"))) {
                throw new InsecureSettingException(List.of("api.hook-keys (environment variable "
                        + MissingSettingException.envName("api.hook-keys") + "): key of "
                        + trimmed.substring(0, eq).trim() + " is under 16 characters or a sandbox value"));
            }
            keys.put(trimmed.substring(0, eq).trim(), key);
        }
        return keys;
    }

    /** The key's name, or null (and a 401 answer set) when the call carries no known key. */
    private String caller(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        String found = null;
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            // every key is compared, so the time taken does not say which one nearly matched
            if (MessageDigest.isEqual(key.getValue(), presented) && found == null) {
                found = key.getKey();
            }
        }
        if (found == null) {
            answer(exchange, 401, error("missing or unknown API key (Authorization: Bearer <key>)"));
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"marketing-bus\"");
        }
        return found;
    }

    /** {@code POST /v1/hooks} and {@code GET /v1/hooks}. */
    public void hooks(Exchange exchange) throws Exception {
        String owner = caller(exchange);
        if (owner == null) {
            return;
        }
        if ("GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
            ArrayNode list = MAPPER.createArrayNode();
            subscriptions.ownedBy(owner).forEach(h -> list.add(view(h)));
            answer(exchange, 200, list);
            return;
        }
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        if (raw == null || raw.length == 0 || raw.length > MAX_BODY) {
            answer(exchange, 400, error("the body must be a JSON object of at most " + MAX_BODY + " bytes"));
            return;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(raw);
        } catch (Exception e) {
            answer(exchange, 400, error("the body is not JSON"));
            return;
        }
        if (body == null || !body.isObject()) {
            answer(exchange, 400, error("the body must be a JSON object"));
            return;
        }
        String url = body.path("target_url").asText(null);
        String problem = targets.problem(url);
        if (problem != null) {
            answer(exchange, 400, error(problem));
            return;
        }
        List<String> events = new ArrayList<>();
        JsonNode event = body.path("event");
        if (event.isTextual()) {
            for (String type : event.asText().split(",")) {
                if (!type.isBlank()) {
                    events.add(type.trim());
                }
            }
        } else if (event.isArray()) {
            event.forEach(e -> events.add(e.asText("").trim()));
        }
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            answer(exchange, 400, error("event must be an event type, a pattern (marketing.contact.*) or a list of 1 to "
                    + MAX_EVENTS));
            return;
        }
        for (String type : events) {
            if (!Hook.EVENT_PATTERN.matcher(type).matches()) {
                answer(exchange, 400, error("event " + type + " is not an event type or pattern (marketing.contact.*)"));
                return;
            }
        }
        byte[] id = new byte[10];
        RANDOM.nextBytes(id);
        Hook hook = new Hook("h-" + HexFormat.of().formatHex(id), "zapier", owner, url.trim(), events, false, true);
        subscriptions.add(hook);
        answer(exchange, 201, view(hook));
        exchange.getMessage().setHeader("Location", "/v1/hooks/" + hook.id());
    }

    /** {@code DELETE /v1/hooks/{id}}. */
    public void delete(Exchange exchange) throws Exception {
        String owner = caller(exchange);
        if (owner == null) {
            return;
        }
        Hook hook = subscriptions.find(exchange.getMessage().getHeader("id", String.class));
        if (hook == null || !hook.owner().equals(owner)) {
            answer(exchange, 404, error("no such hook"));
            return;
        }
        subscriptions.remove(hook.id());
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    private static ObjectNode view(Hook hook) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", hook.id());
        json.put("target_url", hook.url());
        ArrayNode events = json.putArray("event");
        hook.events().forEach(events::add);
        return json;
    }

    private static ObjectNode error(String message) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("error", message);
        return json;
    }

    private static void answer(Exchange exchange, int status, JsonNode body) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }
}

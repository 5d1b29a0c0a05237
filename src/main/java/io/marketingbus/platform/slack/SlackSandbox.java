package io.marketingbus.platform.slack;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * Slack's {@code POST /api/chat.postMessage} (and {@code auth.test}) as the docs describe them (docs/platforms/slack.md §2–§5): the bot token
 * as {@code Authorization: Bearer xoxb-…}, a JSON or form body; refusals are {@code 200 {"ok":false,"error":...}}
 * ({@code not_authed}, {@code invalid_auth}, {@code channel_not_found}, {@code no_text}, {@code invalid_blocks},
 * {@code msg_too_long}); more than one message per second in a channel is a {@code 429} with {@code Retry-After}.
 * Posted messages are readable at {@code GET /sandbox/slack/messages}, the 429s at {@code /sandbox/slack/throttled}.
 * Stricter than Slack in one point: a message with blocks but no {@code text} fallback is refused ({@code no_text}),
 * where Slack posts it with a warning.
 */
public final class SlackSandbox implements SandboxPlatform {

    static final int MAX_BLOCKS = 50;
    static final int MAX_TEXT = 40_000;
    static final int MAX_SECTION_TEXT = 3_000;
    static final Set<String> BLOCK_TYPES = Set.of("actions", "context", "divider", "file", "header", "image", "input",
            "rich_text", "section", "video", "markdown");

    private final String botToken;
    private final Set<String> channels;
    private final Clock clock;
    private final ArrayNode messages = SandboxJson.MAPPER.createArrayNode();
    private final Map<String, Long> lastPost = new HashMap<>();
    private int throttled;
    private int sequence;

    public SlackSandbox(String botToken, Set<String> channels, Clock clock) {
        this.botToken = botToken;
        this.channels = Set.copyOf(channels);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        boolean authTest = "/api/auth.test".equals(request.path());
        if (!authTest && !"/api/chat.postMessage".equals(request.path())) {
            return refused("unknown_method");
        }
        if (!"POST".equals(request.method())) {
            return refused("invalid_arguments");
        }
        String auth = request.header("authorization");
        if (auth == null || auth.isBlank()) {
            return refused("not_authed");
        }
        if (!SandboxJson.bearer(request, botToken)) {
            return refused("invalid_auth");
        }
        if (authTest) {
            // the Slack SDK under camel-slack asks once per token, for its metrics (docs/platforms/slack.md §3)
            return SandboxResponse.json(200, SandboxJson.MAPPER.createObjectNode().put("ok", true)
                    .put("url", "https://sandbox.slack.com/").put("team", "Sandbox").put("user", "marketing-bus")
                    .put("team_id", "T0SANDBOX").put("user_id", "U0SANDBOX").put("bot_id", "B0SANDBOX"));
        }
        JsonNode body = body(request);
        if (body == null) {
            return refused("invalid_arguments");
        }
        String channel = body.path("channel").asText("");
        if (!channels.contains(channel)) {
            return refused("channel_not_found");
        }
        long now = clock.millis();
        Long last = lastPost.get(channel);
        if (last != null && now - last < 1000) {
            throttled++;
            ObjectNode error = SandboxJson.MAPPER.createObjectNode().put("ok", false).put("error", "ratelimited");
            return new SandboxResponse(429, Map.of("Content-Type", "application/json;charset=utf-8",
                    "Retry-After", "1"), error.toString().getBytes(StandardCharsets.UTF_8));
        }
        String text = body.path("text").asText("");
        JsonNode blocks = body.get("blocks");
        if (text.isBlank()) {
            return refused("no_text");
        }
        if (text.length() > MAX_TEXT) {
            return refused("msg_too_long");
        }
        if (blocks != null && !validBlocks(blocks)) {
            return refused("invalid_blocks");
        }
        lastPost.put(channel, now);
        String ts = (now / 1000) + "." + String.format(Locale.ROOT, "%06d", ++sequence);
        ObjectNode message = SandboxJson.MAPPER.createObjectNode();
        message.put("type", "message").put("subtype", "bot_message").put("text", text).put("ts", ts)
                .put("bot_id", "B0SANDBOX");
        if (blocks != null) {
            message.set("blocks", blocks);
        }
        messages.addObject().put("channel", channel).setAll(message.deepCopy());
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode().put("ok", true).put("channel", channel).put("ts", ts);
        answer.set("message", message);
        return SandboxResponse.json(200, answer);
    }

    /** Block Kit basics: an array of at most 50 blocks of known types; a section's text at most 3,000 characters. */
    static boolean validBlocks(JsonNode blocks) {
        if (!blocks.isArray() || blocks.isEmpty() || blocks.size() > MAX_BLOCKS) {
            return false;
        }
        for (JsonNode block : blocks) {
            if (!BLOCK_TYPES.contains(block.path("type").asText(""))) {
                return false;
            }
            if ("section".equals(block.path("type").asText())) {
                JsonNode text = block.path("text");
                boolean hasText = text.isObject() && Set.of("mrkdwn", "plain_text").contains(text.path("type").asText(""))
                        && !text.path("text").asText("").isEmpty() && text.path("text").asText().length() <= MAX_SECTION_TEXT;
                if (!hasText && !block.has("fields")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** JSON, or a form whose {@code blocks} field is JSON text (what the Slack SDK sends). */
    private static JsonNode body(SandboxRequest request) {
        String type = request.header("content-type");
        if (type == null) {
            return null;
        }
        if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return SandboxJson.object(request);
        }
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") || request.body() == null) {
            return null;
        }
        ObjectNode fields = SandboxJson.MAPPER.createObjectNode();
        for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equals("blocks")) {
                try {
                    fields.set(key, SandboxJson.MAPPER.readTree(value));
                } catch (IOException e) {
                    fields.put(key, "not JSON");
                }
            } else {
                fields.put(key, value);
            }
        }
        return fields;
    }

    private static SandboxResponse refused(String error) {
        return SandboxResponse.json(200, SandboxJson.MAPPER.createObjectNode().put("ok", false).put("error", error));
    }

    @Override
    public synchronized JsonNode state(String collection) {
        return switch (collection) {
            case "messages" -> messages.deepCopy();
            case "throttled" -> SandboxJson.MAPPER.createObjectNode().put("count", throttled);
            default -> null;
        };
    }

    @Override
    public synchronized void reset() {
        messages.removeAll();
        lastPost.clear();
        throttled = 0;
    }
}

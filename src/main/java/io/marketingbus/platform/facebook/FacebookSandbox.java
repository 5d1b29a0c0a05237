package io.marketingbus.platform.facebook;

import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Meta Marketing API paths the bus calls (docs/platforms/facebook.md §3, §4, §10): Custom Audience users, the
 * Conversions API and the catalog's items_batch and check_batch_request_status, with Meta's limits: 10,000 rows per
 * users call, 1,000 events per events call, events at most seven days old, identifiers SHA-256 hashed, one invalid
 * event rejecting the whole events call; 5,000 requests per items_batch call, items judged one by one
 * ({@link FacebookSandboxCatalog}). State: {@code audiences}, {@code events}, {@code catalog}, {@code catalog-batches}.
 */
public final class FacebookSandbox implements SandboxPlatform {

    static final int USERS_LIMIT = 10_000;
    static final int EVENTS_LIMIT = 1_000;
    private static final Set<String> SCHEMA_KEYS = Set.of("EXTERN_ID", "EMAIL", "PHONE", "GEN", "DOBY", "DOBM", "DOBD",
            "LN", "FN", "FI", "CT", "ST", "ZIP", "MADID", "COUNTRY", "APPUID", "EMAIL_SHA256", "PHONE_SHA256");
    private static final Set<String> ACTION_SOURCES = Set.of("email", "website", "app", "phone_call", "chat",
            "physical_store", "system_generated", "business_messaging", "other");
    private static final Set<String> HASHED_USER_DATA = Set.of("em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp",
            "country", "external_id");

    private final String accessToken;
    private final String version;
    private final Set<String> audiences;
    private final String pixelId;
    private final String catalogId;
    private final Clock clock;
    private final Map<String, ObjectNode> catalog = new LinkedHashMap<>();
    private final Map<String, ObjectNode> catalogBatches = new LinkedHashMap<>();
    private final Map<String, ObjectNode> audienceUsers = new LinkedHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    public FacebookSandbox(String accessToken, String version, Set<String> audiences, String pixelId, String catalogId,
                           Clock clock) {
        this.accessToken = accessToken;
        this.version = version;
        this.audiences = Set.copyOf(audiences);
        this.pixelId = pixelId;
        this.catalogId = catalogId;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "facebook";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (!SandboxJson.bearer(request, accessToken) && !accessToken.equals(request.query().get("access_token"))) {
            return error(400, 190, "Invalid OAuth access token - Cannot parse access token");
        }
        String[] parts = request.path().split("/");
        if (parts.length == 4 && parts[1].equals(version) && parts[2].equals(catalogId) && !catalogId.isEmpty()
                && parts[3].equals("check_batch_request_status") && "GET".equals(request.method())) {
            return FacebookSandboxCatalog.status(catalogBatches, request.query().get("handle"));
        }
        if (parts.length != 4 || !parts[1].equals(version) || !"POST".equals(request.method())) {
            return error(400, 2500, "Unknown path components: " + request.method() + " " + request.path());
        }
        JsonNode body = SandboxJson.object(request);
        if (body == null) {
            return error(400, 100, "the body must be a JSON object");
        }
        if (parts[3].equals("users") && audiences.contains(parts[2])) {
            return users(parts[2], body);
        }
        if (parts[3].equals("events") && parts[2].equals(pixelId)) {
            return events(body);
        }
        if (parts[3].equals("items_batch") && parts[2].equals(catalogId) && !catalogId.isEmpty()) {
            return FacebookSandboxCatalog.itemsBatch(catalog, catalogBatches, body);
        }
        return error(400, 100, "Unsupported post request. Object with ID '" + parts[2]
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation");
    }

    private SandboxResponse users(String audienceId, JsonNode body) {
        JsonNode payload = body.path("payload");
        JsonNode schema = payload.path("schema");
        List<String> columns = new ArrayList<>();
        if (schema.isTextual()) {
            columns.add(schema.asText());
        } else {
            schema.forEach(c -> columns.add(c.asText()));
        }
        if (columns.isEmpty() || !SCHEMA_KEYS.containsAll(columns)) {
            return error(400, 100, "Invalid schema: " + schema);
        }
        JsonNode data = payload.path("data");
        if (!data.isArray() || data.isEmpty()) {
            return error(400, 100, "payload.data must be a non-empty array");
        }
        if (data.size() > USERS_LIMIT) {
            return error(400, 100, "Too many users in one call: at most " + USERS_LIMIT);
        }
        ObjectNode audience = audienceUsers.computeIfAbsent(audienceId, id -> SandboxJson.MAPPER.createObjectNode());
        int invalid = 0;
        ObjectNode samples = SandboxJson.MAPPER.createObjectNode();
        for (JsonNode row : data) {
            JsonNode values = columns.size() == 1 && row.isTextual() ? SandboxJson.MAPPER.createArrayNode().add(row) : row;
            if (!values.isArray() || values.size() != columns.size() || !hashedOrEmpty(values, columns)) {
                invalid++;
                samples.put(String.valueOf(invalid), row.toString());
                continue;
            }
            ObjectNode member = SandboxJson.MAPPER.createObjectNode();
            for (int i = 0; i < columns.size(); i++) {
                if (!values.get(i).asText().isEmpty()) {
                    member.put(columns.get(i), values.get(i).asText());
                }
            }
            audience.set(member.toString(), member);
        }
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        response.put("audience_id", audienceId);
        response.put("session_id", body.path("session").path("session_id").asText(""));
        response.put("num_received", data.size());
        response.put("num_invalid_entries", invalid);
        response.set("invalid_entry_samples", samples);
        return SandboxResponse.json(200, response);
    }

    private static boolean hashedOrEmpty(JsonNode values, List<String> columns) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode value = values.get(i);
            boolean clear = columns.get(i).equals("MADID") || columns.get(i).equals("EXTERN_ID");
            if (!value.isTextual() || !(value.asText().isEmpty() || clear || SandboxJson.isSha256(value))) {
                return false;
            }
        }
        return true;
    }

    private SandboxResponse events(JsonNode body) {
        JsonNode data = body.path("data");
        if (!data.isArray() || data.isEmpty() || data.size() > EVENTS_LIMIT) {
            return error(400, 100, "data must hold 1 to " + EVENTS_LIMIT + " events");
        }
        long now = clock.instant().getEpochSecond();
        for (JsonNode event : data) {
            String problem = invalidEvent(event, now);
            if (problem != null) {
                // one invalid event rejects the whole call, as Meta documents
                return error(400, 100, "Invalid parameter: " + problem);
            }
        }
        data.forEach(events::add);
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        response.put("events_received", data.size());
        response.putArray("messages");
        response.put("fbtrace_id", "sandbox" + events.size());
        return SandboxResponse.json(200, response);
    }

    private static String invalidEvent(JsonNode event, long now) {
        if (!event.path("event_name").isTextual()) {
            return "event_name is required";
        }
        if (!event.path("event_time").canConvertToLong()) {
            return "event_time must be Unix seconds";
        }
        long time = event.get("event_time").asLong();
        if (time < now - Duration.ofDays(7).toSeconds() || time > now + 60) {
            return "event_time is more than 7 days in the past or in the future";
        }
        if (!ACTION_SOURCES.contains(event.path("action_source").asText())) {
            return "action_source is required";
        }
        JsonNode userData = event.path("user_data");
        if (!userData.isObject() || userData.isEmpty()) {
            return "user_data needs at least one customer information parameter";
        }
        if ("website".equals(event.path("action_source").asText())
                && (!userData.path("client_user_agent").isTextual() || !event.path("event_source_url").isTextual())) {
            return "a website event needs user_data.client_user_agent and event_source_url";
        }
        if ("Purchase".equals(event.path("event_name").asText())
                && (!event.at("/custom_data/currency").isTextual() || !event.at("/custom_data/value").isNumber())) {
            return "a Purchase needs custom_data.currency and custom_data.value";
        }
        for (String field : HASHED_USER_DATA) {
            JsonNode values = userData.get(field);
            if (values == null) {
                continue;
            }
            for (JsonNode value : values.isArray() ? values : SandboxJson.MAPPER.createArrayNode().add(values)) {
                if (!SandboxJson.isSha256(value)) {
                    return "user_data." + field + " must be SHA-256 hashed";
                }
            }
        }
        return null;
    }

    @Override
    public synchronized JsonNode state(String collection) {
        if ("audiences".equals(collection)) {
            ObjectNode node = SandboxJson.MAPPER.createObjectNode();
            audienceUsers.forEach((id, members) -> {
                ArrayNode list = node.putArray(id);
                members.forEach(list::add);
            });
            return node;
        }
        if ("catalog".equals(collection)) {
            ObjectNode node = SandboxJson.MAPPER.createObjectNode();
            catalog.forEach(node::set);
            return node;
        }
        if ("catalog-batches".equals(collection)) {
            ArrayNode list = SandboxJson.MAPPER.createArrayNode();
            catalogBatches.values().forEach(list::add);
            return list;
        }
        if ("events".equals(collection)) {
            ArrayNode list = SandboxJson.MAPPER.createArrayNode();
            events.forEach(list::add);
            return list;
        }
        return null;
    }

    @Override
    public synchronized void reset() {
        audienceUsers.clear();
        events.clear();
        catalog.clear();
        catalogBatches.clear();
    }

    static SandboxResponse error(int status, int code, String message) {
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", code == 190 ? "OAuthException" : "GraphMethodException")
                .put("code", code).put("fbtrace_id", "sandbox");
        return SandboxResponse.json(status, body);
    }
}

package io.marketingbus.platform.mixpanel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * The Mixpanel Ingestion API paths the bus calls (docs/platforms/mixpanel.md §3–§5), as strict as Mixpanel documents
 * them. {@code POST /import}: HTTP Basic with the service account, {@code project_id} required with it, a JSON
 * array or NDJSON, gzip decoded when {@code Content-Encoding: gzip}, at most 2,000 events and 10 MB uncompressed;
 * with {@code strict=1} each event is validated (event name, {@code properties.time} in seconds or milliseconds, not
 * before 1971 nor more than an hour ahead, {@code distinct_id}, {@code $insert_id} of at most 36 letters, digits
 * and dashes, fewer than 255 properties) and a refused one makes the answer a {@code 400} naming it in
 * {@code failed_records} while the others are imported. Events are deduplicated as Mixpanel does, on event name,
 * {@code distinct_id}, time and {@code $insert_id}. {@code POST /engage}: {@code $token} in each update, no gzip,
 * at most 2,000 updates, {@code 200 {"status":0,"error":...}} for a refusal with {@code verbose=1}.
 * State: {@code events}, {@code profiles}, {@code counts} (imports, gzipped, imported, duplicates, failed).
 */
public final class MixpanelSandbox implements SandboxPlatform {

    static final int MAX_RECORDS = 2000;
    static final int MAX_BYTES = 10 * 1024 * 1024;
    static final int MAX_PROPERTIES = 255;
    /** 1971-01-01T00:00:00Z: Mixpanel refuses events before it (§4). */
    static final long EARLIEST_MS = 31_536_000_000L;
    static final long MAX_AHEAD_MS = 3_600_000L;

    private final String username;
    private final String secret;
    private final String projectId;
    private final String projectToken;
    private final Clock clock;
    private final Map<String, ObjectNode> events = new LinkedHashMap<>();
    private final Map<String, ObjectNode> profiles = new LinkedHashMap<>();
    private int imports;
    private int gzipped;
    private int imported;
    private int duplicates;
    private int failed;
    private int engages;

    public MixpanelSandbox(String username, String secret, String projectId, String projectToken, Clock clock) {
        this.username = username;
        this.secret = secret;
        this.projectId = projectId;
        this.projectToken = projectToken;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "mixpanel";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (!"POST".equals(request.method())) {
            return importError(405, "Method Not Allowed", "use POST");
        }
        if (request.path().equals(MixpanelBatches.IMPORT)) {
            return importEvents(request);
        }
        if (request.path().equals(MixpanelBatches.ENGAGE)) {
            return engage(request);
        }
        return importError(404, "Not Found", "no such path: " + request.path());
    }

    private SandboxResponse importEvents(SandboxRequest request) {
        String auth = request.header("authorization");
        if (auth == null || !auth.equals("Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + secret).getBytes(StandardCharsets.UTF_8)))) {
            return importError(401, "Unauthorized", "Invalid credentials");
        }
        String project = request.query().get("project_id");
        if (project == null || project.isEmpty()) {
            // without project_id the credentials are read as a project secret, which a service account is not
            return importError(401, "Unauthorized", "project_id is required with service account credentials");
        }
        if (!project.equals(projectId)) {
            return importError(403, "Forbidden", "the service account has no access to project " + project);
        }
        String strictParam = request.query().getOrDefault("strict", "0");
        if (!strictParam.equals("0") && !strictParam.equals("1")) {
            return importError(400, "Bad Request", "strict must be 0 or 1");
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        boolean gzip = "gzip".equalsIgnoreCase(request.header("content-encoding"));
        if (gzip) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readNBytes(MAX_BYTES + 1);
            } catch (IOException e) {
                return importError(400, "Bad Request", "the body is not valid gzip");
            }
        }
        if (body.length > MAX_BYTES) {
            return importError(413, "Request Entity Too Large", "the uncompressed body is over 10 MB");
        }
        List<JsonNode> records;
        try {
            records = parse(body, request.header("content-type"));
        } catch (IOException | IllegalArgumentException e) {
            return importError(400, "Bad Request", "unable to parse the body as a JSON array or NDJSON: " + e.getMessage());
        }
        if (records.isEmpty()) {
            return importError(400, "Bad Request", "no events in the body");
        }
        if (records.size() > MAX_RECORDS) {
            return importError(400, "Bad Request", "a request takes at most 2000 events, got " + records.size());
        }
        imports++;
        if (gzip) {
            gzipped++;
        }
        ArrayNode failures = SandboxJson.MAPPER.createArrayNode();
        int count = 0;
        for (int index = 0; index < records.size(); index++) {
            JsonNode record = records.get(index);
            String[] problem = validate(record);
            if (problem != null) {
                if (strictParam.equals("1")) {
                    ObjectNode failure = failures.addObject();
                    failure.put("index", index);
                    failure.put("$insert_id", record.path("properties").path("$insert_id").asText(""));
                    failure.put("field", problem[0]);
                    failure.put("message", problem[1]);
                }
                failed++;
                continue;
            }
            count++;
            store(record);
        }
        imported += count;
        if (!failures.isEmpty()) {
            ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
            answer.put("code", 400);
            answer.put("error", "some data points in the request failed validation");
            answer.set("failed_records", failures);
            answer.put("num_records_imported", count);
            answer.put("status", "Bad Request");
            return SandboxResponse.json(400, answer);
        }
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.put("code", 200).put("num_records_imported", count).put("status", "OK");
        return SandboxResponse.json(200, answer);
    }

    private static List<JsonNode> parse(byte[] body, String contentType) throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        List<JsonNode> records = new ArrayList<>();
        if (type.startsWith("application/x-ndjson")) {
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    records.add(SandboxJson.MAPPER.readTree(line));
                }
            }
            return records;
        }
        if (!type.startsWith("application/json")) {
            throw new IllegalArgumentException("Content-Type must be application/json or application/x-ndjson");
        }
        JsonNode array = SandboxJson.MAPPER.readTree(body);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("the body must be a JSON array");
        }
        array.forEach(records::add);
        return records;
    }

    /** Null when Mixpanel's strict mode takes the event; else the field and the message. */
    private String[] validate(JsonNode record) {
        if (!record.path("event").isTextual() || record.get("event").asText().isBlank()) {
            return new String[] {"event", "'event' must be a non-empty string"};
        }
        JsonNode properties = record.get("properties");
        if (properties == null || !properties.isObject()) {
            return new String[] {"properties", "'properties' must be an object"};
        }
        if (properties.size() >= MAX_PROPERTIES) {
            return new String[] {"properties", "an event has fewer than 255 properties"};
        }
        JsonNode time = properties.get("time");
        if (time == null || !time.isNumber()) {
            return new String[] {"properties.time", "'properties.time' is invalid: must be specified as seconds since epoch or milliseconds since epoch"};
        }
        long ms = time.asLong() < 100_000_000_000L ? time.asLong() * 1000 : time.asLong();
        if (ms < EARLIEST_MS) {
            return new String[] {"properties.time", "'properties.time' is invalid: before 1971-01-01"};
        }
        if (ms > clock.millis() + MAX_AHEAD_MS) {
            return new String[] {"properties.time", "'properties.time' is invalid: more than 1 hour in the future"};
        }
        if (!properties.path("distinct_id").isTextual() || properties.get("distinct_id").asText().length() > 255) {
            return new String[] {"properties.distinct_id", "'properties.distinct_id' must be a string of at most 255 characters"};
        }
        JsonNode insertId = properties.get("$insert_id");
        if (insertId == null || !insertId.isTextual() || !MixpanelTranslator.INSERT_ID.matcher(insertId.asText()).matches()) {
            return new String[] {"properties.$insert_id", "'properties.$insert_id' must be at most 36 alphanumeric characters or dashes"};
        }
        if ("$merge".equals(record.get("event").asText())) {
            // Original ID Merge: exactly two ids per $merge (docs.mixpanel.com/reference/identity-merge)
            JsonNode ids = properties.get("$distinct_ids");
            if (ids == null || !ids.isArray() || ids.size() != 2 || !ids.get(0).isTextual() || !ids.get(1).isTextual()
                    || ids.get(0).asText().isBlank() || ids.get(0).asText().equals(ids.get(1).asText())) {
                return new String[] {"properties.$distinct_ids", "'$distinct_ids' must hold exactly two different distinct_ids"};
            }
        }
        if (record.toString().length() >= 1024 * 1024) {
            return new String[] {"properties", "an event must be under 1 MB"};
        }
        return null;
    }

    private void store(JsonNode record) {
        JsonNode p = record.get("properties");
        long ms = p.get("time").asLong() < 100_000_000_000L ? p.get("time").asLong() * 1000 : p.get("time").asLong();
        String key = record.get("event").asText() + '\u0000' + p.get("distinct_id").asText() + '\u0000' + ms + '\u0000'
                + p.get("$insert_id").asText();
        if (events.containsKey(key)) {
            duplicates++;
            return;
        }
        events.put(key, (ObjectNode) record.deepCopy());
    }

    private SandboxResponse engage(SandboxRequest request) {
        engages++;
        boolean verbose = "1".equals(request.query().get("verbose"));
        if ("gzip".equalsIgnoreCase(request.header("content-encoding"))) {
            return engageAnswer(verbose, "gzip encoding is not supported on /engage");
        }
        JsonNode updates;
        try {
            updates = SandboxJson.MAPPER.readTree(request.body() == null ? new byte[0] : request.body());
        } catch (IOException e) {
            return engageAnswer(verbose, "unable to parse the body as JSON");
        }
        if (updates == null || !updates.isArray() || updates.isEmpty()) {
            return engageAnswer(verbose, "the body must be a non-empty JSON array of updates");
        }
        if (updates.size() > MAX_RECORDS) {
            return engageAnswer(verbose, "a request takes at most 2000 updates, got " + updates.size());
        }
        for (JsonNode update : updates) {
            if (!projectToken.equals(update.path("$token").asText(null))) {
                return engageAnswer(verbose, "$token is missing or not this project's");
            }
            if (update.path("$distinct_id").asText("").isBlank()) {
                return engageAnswer(verbose, "$distinct_id is required");
            }
            if (!update.path("$set").isObject()) {
                return engageAnswer(verbose, "the bus sends $set updates: $set must be an object");
            }
        }
        for (JsonNode update : updates) {
            ObjectNode profile = profiles.computeIfAbsent(update.get("$distinct_id").asText(), id -> {
                ObjectNode p = SandboxJson.MAPPER.createObjectNode();
                p.put("$distinct_id", id);
                p.putObject("$properties");
                return p;
            });
            ((ObjectNode) profile.get("$properties")).setAll((ObjectNode) update.get("$set"));
        }
        return engageAnswer(verbose, null);
    }

    private static SandboxResponse engageAnswer(boolean verbose, String error) {
        if (!verbose) {
            return new SandboxResponse(200, Map.of("Content-Type", "text/plain"),
                    (error == null ? "1" : "0").getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.put("status", error == null ? 1 : 0);
        if (error == null) {
            answer.putNull("error");
        } else {
            answer.put("error", error);
        }
        return SandboxResponse.json(200, answer);
    }

    private static SandboxResponse importError(int status, String statusText, String error) {
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.put("code", status).put("error", error).put("status", statusText);
        return SandboxResponse.json(status, answer);
    }

    @Override
    public synchronized JsonNode state(String collection) {
        switch (collection) {
            case "events" -> {
                ArrayNode list = SandboxJson.MAPPER.createArrayNode();
                events.values().forEach(list::add);
                return list;
            }
            case "profiles" -> {
                ArrayNode list = SandboxJson.MAPPER.createArrayNode();
                profiles.values().forEach(list::add);
                return list;
            }
            case "counts" -> {
                ObjectNode counts = SandboxJson.MAPPER.createObjectNode();
                counts.put("imports", imports).put("gzipped", gzipped).put("imported", imported)
                        .put("duplicates", duplicates).put("failed", failed).put("engages", engages)
                        .put("events", events.size()).put("profiles", profiles.size());
                return counts;
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public synchronized void reset() {
        events.clear();
        profiles.clear();
        imports = 0;
        gzipped = 0;
        imported = 0;
        duplicates = 0;
        failed = 0;
        engages = 0;
    }
}

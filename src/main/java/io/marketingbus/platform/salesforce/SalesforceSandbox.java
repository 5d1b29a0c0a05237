package io.marketingbus.platform.salesforce;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * The Salesforce endpoints camel-salesforce calls for the bus (docs/platforms/salesforce.md), as strict as the
 * vendor documents them, on one org:
 * <ul>
 * <li>{@code POST /services/oauth2/token}: the refresh-token grant (client id, secret and refresh token must match)
 * and the JWT bearer grant (an RS256 assertion signed by the connected app's certificate, {@code iss} the client
 * id, {@code sub} the user, {@code aud} the login URL); the answer carries {@code instance_url}, this sandbox.
 * Sessions expire after {@code sandbox.oauth.token-lifetime-ms} (default 2 h); {@code POST /services/oauth2/revoke};</li>
 * <li>every {@code /services/data/vXX.X/...} call needs {@code Authorization: Bearer} with a live session, else
 * 401 {@code INVALID_SESSION_ID}; counts against the org's rolling API allocation, whose use every answer reports in
 * {@code Sforce-Limit-Info}; over it, 403 {@code REQUEST_LIMIT_EXCEEDED};</li>
 * <li>{@code PATCH composite/sobjects/<object>/<externalIdField>}: at most 200 records of one type, per-record
 * results in order ({@code DUPLICATE_EXTERNAL_ID} when the key matches several records, {@code DUPLICATE_VALUE} for
 * records of one call sharing a key, keys matched regardless of case, {@code INVALID_FIELD},
 * {@code REQUIRED_FIELD_MISSING}, {@code INVALID_EMAIL_ADDRESS}); {@code allOrNone} rolls all back on one error;</li>
 * <li>{@code GET query?q=} and {@code GET query/<locator>} (nextRecordsUrl): the SOQL the bus sends (fields, one
 * level of parent fields, a child subquery, WHERE with AND of comparisons, ORDER BY, LIMIT); anything else is
 * {@code MALFORMED_QUERY};</li>
 * <li>{@code POST sobjects/<object>} and {@code PATCH sobjects/<object>/<id>}: how tests and people put
 * Opportunities, their contact roles and Contacts into the org.</li>
 * </ul>
 * Readable state: {@code GET /sandbox/salesforce/<Object>} (e.g. {@code Contact}, {@code Lead}), {@code tokens},
 * {@code limits}, {@code calls} (each upsert with its record count, each query with its SOQL).
 */
public final class SalesforceSandbox implements SandboxPlatform {

    static final DateTimeFormatter SF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final Pattern DATA = Pattern.compile("/services/data/v(\\d+\\.\\d)(/.*)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Map<String, String> PREFIX = Map.of("Account", "001", "Contact", "003", "Lead", "00Q",
            "Opportunity", "006", "OpportunityContactRole", "00K");
    private static final Set<String> BASE = Set.of("Id", "SystemModstamp", "CreatedDate", "LastModifiedDate");

    /** The credentials the org's connected app takes. */
    public record Credentials(String clientId, String clientSecret, String refreshToken, String username, PublicKey jwtKey) {
    }

    private final Credentials credentials;
    private final Map<String, Set<String>> fields;
    private final Map<String, Set<String>> externalIds;
    private final Duration sessionLife;
    private final int apiAllocation;
    private final Duration apiWindow;
    private final int pageSize;
    private final Clock clock;
    private final Map<String, Map<String, ObjectNode>> records = new LinkedHashMap<>();
    private final Map<String, Instant> sessions = new HashMap<>();
    private final Map<String, List<ObjectNode>> cursors = new HashMap<>();
    private final Deque<Long> apiCalls = new ArrayDeque<>();
    private final ArrayNode calls = SandboxJson.MAPPER.createArrayNode();
    private int issued;
    private boolean refreshRevoked;
    private int loginsRefused;
    private int jwtIssued;
    private int expiredRefused;
    private int limitRefused;
    private long nextId = 1;
    private String baseUrl = "";

    /**
     * @param fields      each object's writable fields (standard ones and the custom fields the bus writes)
     * @param externalIds each object's external-id fields
     */
    public SalesforceSandbox(Credentials credentials, Map<String, Set<String>> fields, Map<String, Set<String>> externalIds,
                             Duration sessionLife, int apiAllocation, Duration apiWindow, int pageSize, Clock clock) {
        this.credentials = credentials;
        this.fields = fields;
        this.externalIds = externalIds;
        this.sessionLife = sessionLife;
        this.apiAllocation = apiAllocation;
        this.apiWindow = apiWindow;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (request.path().equals("/services/oauth2/token")) {
            return token(request);
        }
        if (request.path().equals("/services/oauth2/revoke")) {
            if (!"POST".equals(request.method())) {
                return SandboxResponse.empty(405);
            }
            // revoking the refresh token ends the connected app's grant: every later refresh is invalid_grant
            String revoked = form(new String(request.body(), StandardCharsets.UTF_8)).getOrDefault("token", "");
            if (!revoked.isEmpty() && revoked.equals(credentials.refreshToken())) {
                refreshRevoked = true;
            }
            sessions.remove(revoked);
            return SandboxResponse.empty(200);
        }
        Matcher data = DATA.matcher(request.path());
        if (!data.matches()) {
            return errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        String auth = request.header("authorization");
        Instant expires = auth != null && auth.startsWith("Bearer ") ? sessions.get(auth.substring(7)) : null;
        if (expires == null || !clock.instant().isBefore(expires)) {
            expiredRefused++;
            return errors(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        long now = clock.millis();
        while (!apiCalls.isEmpty() && apiCalls.peekFirst() <= now - apiWindow.toMillis()) {
            apiCalls.pollFirst();
        }
        if (apiCalls.size() >= apiAllocation) {
            limitRefused++;
            return withUsage(errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        }
        apiCalls.addLast(now);
        String path = data.group(2);
        String version = data.group(1);
        try {
            return withUsage(route(request, path, version));
        } catch (SoqlException e) {
            return withUsage(errors(400, e.code, e.getMessage()));
        }
    }

    private SandboxResponse route(SandboxRequest request, String path, String version) {
        String[] parts = path.substring(1).split("/");
        String method = request.method();
        if (("PATCH".equals(method) || "POST".equals(method)) && SandboxJson.object(request) == null) {
            return errors(400, "JSON_PARSER_ERROR", "the body must be a JSON object sent as application/json");
        }
        if (parts.length == 4 && parts[0].equals("composite") && parts[1].equals("sobjects")) {
            return "PATCH".equals(method) ? collectionsUpsert(parts[2], parts[3], SandboxJson.object(request))
                    : errors(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are PATCH");
        }
        if (parts.length == 1 && parts[0].equals("query") && "GET".equals(method)) {
            String q = request.query().get("q");
            if (q == null) {
                return errors(400, "MALFORMED_QUERY", "A query string has to be specified");
            }
            return query(q, version);
        }
        if (parts.length == 2 && parts[0].equals("query") && "GET".equals(method)) {
            return queryMore(parts[1], version);
        }
        if (parts.length == 2 && parts[0].equals("sobjects") && "POST".equals(method)) {
            return create(parts[1], SandboxJson.object(request));
        }
        if (parts.length == 3 && parts[0].equals("sobjects") && "PATCH".equals(method)) {
            return update(parts[1], parts[2], SandboxJson.object(request));
        }
        return errors(404, "NOT_FOUND", "The requested resource does not exist");
    }

    // --- OAuth ---------------------------------------------------------------------------------------------------

    private SandboxResponse token(SandboxRequest request) {
        if (!"POST".equals(request.method())) {
            return SandboxResponse.empty(405);
        }
        String type = request.header("content-type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return oauthError("invalid_request", "must use application/x-www-form-urlencoded");
        }
        Map<String, String> form = form(new String(request.body(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        if ("refresh_token".equals(grant)) {
            if (!credentials.clientId().equals(form.get("client_id"))) {
                return oauthError("invalid_client_id", "client identifier invalid");
            }
            if (form.containsKey("client_secret") && !credentials.clientSecret().equals(form.get("client_secret"))) {
                return oauthError("invalid_client", "invalid client credentials");
            }
            if (refreshRevoked || credentials.refreshToken().isEmpty() || !credentials.refreshToken().equals(form.get("refresh_token"))) {
                loginsRefused++;
                return oauthError("invalid_grant", "expired access/refresh token");
            }
            return issue();
        }
        if ("urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant)) {
            if (!validJwt(form.getOrDefault("assertion", ""))) {
                return oauthError("invalid_grant", "invalid assertion");
            }
            jwtIssued++;
            return issue();
        }
        return oauthError("unsupported_grant_type", "grant type not supported");
    }

    private boolean validJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        if (credentials.jwtKey() == null || parts.length != 3) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(credentials.jwtKey());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = SandboxJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            // aud: the login URL the assertion is for (Salesforce: login.salesforce.com, test.salesforce.com or My Domain)
            return credentials.clientId().equals(claims.path("iss").asText())
                    && credentials.username().equals(claims.path("sub").asText())
                    && baseUrl.equals(claims.path("aud").asText())
                    && claims.path("exp").asLong() > clock.instant().getEpochSecond();
        } catch (Exception e) {
            return false;
        }
    }

    private SandboxResponse issue() {
        String token = "00DSANDBOX!" + UUID.randomUUID().toString().replace("-", "");
        sessions.put(token, clock.instant().plus(sessionLife));
        issued++;
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.put("access_token", token);
        answer.put("instance_url", baseUrl);
        answer.put("id", baseUrl + "/id/00D000000000001AAA/005000000000001AAA");
        answer.put("token_type", "Bearer");
        answer.put("issued_at", String.valueOf(clock.millis()));
        answer.put("signature", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        answer.put("scope", "api refresh_token");
        return SandboxResponse.json(200, answer);
    }

    /** Where the org answers (the sandbox's own URL), given as {@code instance_url}; set once the port is known. */
    public synchronized void baseUrl(String url) {
        this.baseUrl = url;
    }

    // --- writes ----------------------------------------------------------------------------------------------------

    private SandboxResponse collectionsUpsert(String object, String keyField, JsonNode body) {
        if (!fields.containsKey(object)) {
            return errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        if (!externalIds.getOrDefault(object, Set.of()).contains(keyField)) {
            return errors(400, "INVALID_FIELD", "Field name provided, " + keyField + " is not an External ID or indexed field for " + object);
        }
        JsonNode list = body.path("records");
        if (!list.isArray() || list.isEmpty()) {
            return errors(400, "INVALID_FIELD", "records is required");
        }
        if (list.size() > 200) {
            return errors(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records in this operation");
        }
        calls.addObject().put("call", "upsert " + object + "/" + keyField).put("records", list.size());
        Map<String, ObjectNode> table = records.computeIfAbsent(object, o -> new LinkedHashMap<>());
        Map<String, ObjectNode> before = copy(table);
        ArrayNode results = SandboxJson.MAPPER.createArrayNode();
        boolean failed = false;
        // two records of one call with the same key: neither is applied (keys match regardless of case)
        Map<String, Integer> keys = new HashMap<>();
        list.forEach(r -> keys.merge(lower(r.path(keyField).asText("")), 1, Integer::sum));
        for (JsonNode record : list) {
            String key = lower(record.path(keyField).asText(""));
            ObjectNode result = !key.isEmpty() && keys.get(key) > 1
                    ? failed(SandboxJson.MAPPER.createObjectNode(), SandboxJson.MAPPER.createArrayNode(), "DUPLICATE_VALUE",
                            "Duplicate external id specified: " + record.path(keyField).asText(), keyField)
                    : upsertOne(object, keyField, record, table);
            failed |= !result.path("success").asBoolean();
            results.add(result);
        }
        if (failed && body.path("allOrNone").asBoolean(false)) {
            table.clear();
            table.putAll(before);
            for (JsonNode result : results) {
                if (result.path("success").asBoolean()) {
                    ((ObjectNode) result).put("success", false).remove("id");
                    ((ArrayNode) result.get("errors")).addObject().put("statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK")
                            .put("message", "Record rolled back because not all records were valid and the request was using AllOrNone header").putArray("fields");
                }
            }
        }
        return SandboxResponse.json(200, results);
    }

    private ObjectNode upsertOne(String object, String keyField, JsonNode record, Map<String, ObjectNode> table) {
        ObjectNode result = SandboxJson.MAPPER.createObjectNode();
        ArrayNode errors = SandboxJson.MAPPER.createArrayNode();
        if (!object.equals(record.path("attributes").path("type").asText())) {
            return failed(result, errors, "INVALID_TYPE", "attributes.type must be " + object, "attributes");
        }
        String key = record.path(keyField).asText("");
        if (key.isEmpty()) {
            return failed(result, errors, "MISSING_ARGUMENT", keyField + " not specified", keyField);
        }
        for (var it = record.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("attributes") && !fields.get(object).contains(field)) {
                return failed(result, errors, "INVALID_FIELD", "No such column '" + field + "' on sobject of type " + object, field);
            }
        }
        if (record.hasNonNull("Email") && !EMAIL.matcher(record.get("Email").asText()).matches()) {
            return failed(result, errors, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: " + record.get("Email").asText(), "Email");
        }
        List<ObjectNode> matches = table.values().stream().filter(r -> key.equalsIgnoreCase(r.path(keyField).asText(""))).toList();
        if (matches.size() > 1) {
            return failed(result, errors, "DUPLICATE_EXTERNAL_ID", keyField + ": more than one record found for external id field: "
                    + matches.stream().map(r -> r.get("Id").asText()).toList(), keyField);
        }
        ObjectNode target;
        boolean created = matches.isEmpty();
        if (created) {
            for (String required : required(object)) {
                if (!record.hasNonNull(required)) {
                    return failed(result, errors, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + required + "]", required);
                }
            }
            target = newRecord(object);
            table.put(target.get("Id").asText(), target);
        } else {
            target = matches.get(0);
            touch(target);
        }
        record.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("attributes")) {
                target.set(f.getKey(), f.getValue());
            }
        });
        result.put("id", target.get("Id").asText());
        result.put("success", true);
        result.set("errors", errors);
        result.put("created", created);
        return result;
    }

    private SandboxResponse create(String object, JsonNode body) {
        if (!fields.containsKey(object)) {
            return errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!fields.get(object).contains(field)) {
                return errors(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type " + object);
            }
        }
        for (String required : required(object)) {
            if (!body.hasNonNull(required)) {
                return errors(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + required + "]");
            }
        }
        // a lookup must name a record of its object, as Salesforce checks it
        for (Map.Entry<String, String> lookup : lookups(object).entrySet()) {
            String id = body.path(lookup.getKey()).asText("");
            if (!records.getOrDefault(lookup.getValue(), Map.of()).containsKey(id)) {
                return errors(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
                        lookup.getKey());
            }
        }
        ObjectNode record = newRecord(object);
        body.fields().forEachRemaining(f -> record.set(f.getKey(), f.getValue()));
        records.computeIfAbsent(object, o -> new LinkedHashMap<>()).put(record.get("Id").asText(), record);
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode().put("id", record.get("Id").asText()).put("success", true);
        answer.putArray("errors");
        return SandboxResponse.json(201, answer);
    }

    private SandboxResponse update(String object, String id, JsonNode body) {
        ObjectNode record = records.getOrDefault(object, Map.of()).get(id);
        if (record == null) {
            return errors(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + id);
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!fields.get(object).contains(field)) {
                return errors(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type " + object);
            }
        }
        body.fields().forEachRemaining(f -> record.set(f.getKey(), f.getValue()));
        touch(record);
        return SandboxResponse.empty(204);
    }

    /** The lookup fields a new record must fill with the id of an existing record, and the object each names. */
    private static Map<String, String> lookups(String object) {
        return "OpportunityContactRole".equals(object)
                ? Map.of("OpportunityId", "Opportunity", "ContactId", "Contact") : Map.of();
    }

    private static List<String> required(String object) {
        return switch (object) {
            case "Lead" -> List.of("LastName", "Company");
            case "Contact" -> List.of("LastName");
            case "Opportunity" -> List.of("Name", "StageName", "CloseDate");
            case "OpportunityContactRole" -> List.of("OpportunityId", "ContactId");
            case "Account" -> List.of("Name");
            default -> List.of();
        };
    }

    private ObjectNode newRecord(String object) {
        ObjectNode record = SandboxJson.MAPPER.createObjectNode();
        record.putObject("attributes").put("type", object);
        String n = String.valueOf(nextId++);
        record.put("Id", PREFIX.getOrDefault(object, "a00") + "0".repeat(12 - n.length()) + n + "AAA");
        // one instant for all three stamps: an unchanged record has SystemModstamp = CreatedDate
        String now = SF_TIME.format(clock.instant());
        record.put("CreatedDate", now);
        record.put("LastModifiedDate", now);
        record.put("SystemModstamp", now);
        return record;
    }

    private void touch(ObjectNode record) {
        String now = SF_TIME.format(clock.instant());
        record.put("LastModifiedDate", now);
        record.put("SystemModstamp", now);
    }

    private static ObjectNode failed(ObjectNode result, ArrayNode errors, String code, String message, String field) {
        ObjectNode error = errors.addObject();
        error.put("statusCode", code).put("message", message).putArray("fields").add(field);
        result.put("success", false);
        result.set("errors", errors);
        return result;
    }

    // --- queries ---------------------------------------------------------------------------------------------------

    private SandboxResponse query(String soql, String version) {
        calls.addObject().put("call", "query").put("soql", soql);
        Soql query = Soql.parse(soql, fields);
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode record : records.getOrDefault(query.object(), Map.of()).values()) {
            if (query.matches(record)) {
                rows.add(record);
            }
        }
        rows.sort(query.order());
        if (query.limit() >= 0 && rows.size() > query.limit()) {
            rows = new ArrayList<>(rows.subList(0, query.limit()));
        }
        List<ObjectNode> selected = rows.stream().map(r -> query.select(r, records)).toList();
        return page(selected, 0, version);
    }

    private SandboxResponse queryMore(String locator, String version) {
        int dash = locator.lastIndexOf('-');
        List<ObjectNode> rows = dash < 0 ? null : cursors.get(locator.substring(0, dash));
        if (rows == null) {
            return errors(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(rows, Integer.parseInt(locator.substring(dash + 1)), version);
    }

    private SandboxResponse page(List<ObjectNode> rows, int from, String version) {
        int to = Math.min(rows.size(), from + pageSize);
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.put("totalSize", rows.size());
        answer.put("done", to >= rows.size());
        if (to < rows.size()) {
            String cursor = "01gSANDBOX" + UUID.randomUUID().toString().substring(0, 8);
            cursors.put(cursor, rows);
            answer.put("nextRecordsUrl", "/services/data/v" + version + "/query/" + cursor + "-" + to);
        }
        ArrayNode list = answer.putArray("records");
        rows.subList(from, to).forEach(list::add);
        return SandboxResponse.json(200, answer);
    }

    // --- state -----------------------------------------------------------------------------------------------------

    @Override
    public synchronized JsonNode state(String collection) {
        if ("tokens".equals(collection)) {
            return SandboxJson.MAPPER.createObjectNode().put("issued", issued).put("issuedForJwt", jwtIssued).put("loginsRefused", loginsRefused)
                    .put("expiredSessionsRefused", expiredRefused);
        }
        if ("calls".equals(collection)) {
            return calls.deepCopy();
        }
        if ("limits".equals(collection)) {
            return SandboxJson.MAPPER.createObjectNode().put("used", apiCalls.size()).put("allocation", apiAllocation)
                    .put("refused", limitRefused);
        }
        if (fields.containsKey(collection)) {
            ArrayNode list = SandboxJson.MAPPER.createArrayNode();
            records.getOrDefault(collection, Map.of()).values().forEach(list::add);
            return list;
        }
        return null;
    }

    @Override
    public synchronized void reset() {
        records.clear();
        cursors.clear();
        apiCalls.clear();
        calls.removeAll();
        issued = 0;
        refreshRevoked = false;
        loginsRefused = 0;
        jwtIssued = 0;
        expiredRefused = 0;
        limitRefused = 0;
    }

    /** Expires every session now, as a session timeout or a revoked session would (tests: the bus logs in again). */
    public synchronized void expireSessions() {
        sessions.replaceAll((token, until) -> clock.instant().minusSeconds(1));
    }

    private SandboxResponse withUsage(SandboxResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Sforce-Limit-Info", "api-usage=" + apiCalls.size() + "/" + apiAllocation);
        return new SandboxResponse(response.status(), headers, response.body());
    }

    private static SandboxResponse errors(int status, String code, String message) {
        ArrayNode body = SandboxJson.MAPPER.createArrayNode();
        body.addObject().put("message", message).put("errorCode", code);
        return SandboxResponse.json(status, body);
    }

    private static SandboxResponse errors(int status, String code, String message, String field) {
        ArrayNode body = SandboxJson.MAPPER.createArrayNode();
        body.addObject().put("message", message).put("errorCode", code).putArray("fields").add(field);
        return SandboxResponse.json(status, body);
    }

    private static SandboxResponse oauthError(String error, String description) {
        return SandboxResponse.json(400, SandboxJson.MAPPER.createObjectNode().put("error", error)
                .put("error_description", description));
    }

    private static Map<String, ObjectNode> copy(Map<String, ObjectNode> table) {
        Map<String, ObjectNode> copy = new LinkedHashMap<>();
        table.forEach((id, r) -> copy.put(id, r.deepCopy()));
        return copy;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** A SOQL error, answered as 400 with its code. */
    static final class SoqlException extends RuntimeException {
        final String code;

        SoqlException(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static boolean isBase(String field) {
        return BASE.contains(field);
    }
}

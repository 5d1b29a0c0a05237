package io.marketingbus.platform.googleads;

import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;
import io.marketingbus.sandbox.SandboxTokens;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Google Ads Customer Match calls flow 2 makes (docs/platforms/google-ads.md §3–§4): OfflineUserDataJob create,
 * addOperations and run, with Google's rules: bearer token and developer-token headers, one identifier kind per
 * UserIdentifier, at most 20 identifiers per user and 100,000 per request, hashed values, address with clear
 * country and postal code, partial failure reported in a 200 answer.
 */
public final class GoogleAdsSandbox implements SandboxPlatform {

    static final int IDENTIFIERS_PER_REQUEST = 100_000;
    static final int IDENTIFIERS_PER_USER = 20;
    private static final Set<String> IDENTIFIER_KINDS = Set.of("hashedEmail", "hashedPhoneNumber", "mobileId",
            "thirdPartyUserId", "addressInfo");

    private record Job(String resourceName, String userList, List<JsonNode> operations, String[] status) {
    }

    private final SandboxTokens tokens;
    private final String developerToken;
    private final String version;
    private final String customerId;
    private final Set<String> userLists;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, ObjectNode> members = new LinkedHashMap<>();
    private final AtomicLong nextJob = new AtomicLong(5550001);

    public GoogleAdsSandbox(SandboxTokens tokens, String developerToken, String version, String customerId,
                            Set<String> userLists) {
        this.tokens = tokens;
        this.developerToken = developerToken;
        this.version = version;
        this.customerId = customerId;
        this.userLists = Set.copyOf(userLists);
    }

    @Override
    public String name() {
        return "google-ads";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (request.path().equals("/token")) {
            // Google's token endpoint (oauth2.googleapis.com/token), for the OAuth settings
            return tokens.grant(request);
        }
        if (!tokens.accepts(request)) {
            return error(401, "UNAUTHENTICATED", "Request is missing required authentication credential.");
        }
        if (!developerToken.equals(request.header("developer-token"))) {
            return error(401, "UNAUTHENTICATED", "DEVELOPER_TOKEN_INVALID: the developer-token header is missing or wrong");
        }
        String prefix = "/" + version + "/customers/" + customerId + "/offlineUserDataJobs";
        if (!"POST".equals(request.method()) || !request.path().startsWith(prefix)) {
            return error(404, "NOT_FOUND", "no such method: " + request.method() + " " + request.path());
        }
        JsonNode body = SandboxJson.object(request);
        if (body == null) {
            return error(400, "INVALID_ARGUMENT", "the body must be a JSON object");
        }
        String rest = request.path().substring(prefix.length());
        if (rest.equals(":create")) {
            return create(body);
        }
        String job = "customers/" + customerId + "/offlineUserDataJobs" + rest.substring(0, Math.max(0, rest.indexOf(':')));
        if (rest.endsWith(":addOperations")) {
            return addOperations(jobs.get(job), body);
        }
        if (rest.endsWith(":run")) {
            return run(jobs.get(job));
        }
        return error(404, "NOT_FOUND", "no such method: " + request.path());
    }

    private SandboxResponse create(JsonNode body) {
        JsonNode job = body.path("job");
        if (!"CUSTOMER_MATCH_USER_LIST".equals(job.path("type").asText())) {
            return error(400, "INVALID_ARGUMENT", "job.type must be CUSTOMER_MATCH_USER_LIST");
        }
        JsonNode metadata = job.path("customerMatchUserListMetadata");
        String userList = metadata.path("userList").asText();
        String listPrefix = "customers/" + customerId + "/userLists/";
        if (!userList.startsWith(listPrefix) || !userLists.contains(userList.substring(listPrefix.length()))) {
            return error(400, "INVALID_ARGUMENT", "customerMatchUserListMetadata.userList is not a user list of this customer");
        }
        JsonNode consent = metadata.path("consent");
        if ("DENIED".equals(consent.path("adUserData").asText()) || "DENIED".equals(consent.path("adPersonalization").asText())) {
            return error(400, "INVALID_ARGUMENT", "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS");
        }
        String name = "customers/" + customerId + "/offlineUserDataJobs/" + nextJob.getAndIncrement();
        jobs.put(name, new Job(name, userList.substring(listPrefix.length()), new ArrayList<>(), new String[] {"PENDING"}));
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        response.put("resourceName", name);
        return SandboxResponse.json(200, response);
    }

    private SandboxResponse addOperations(Job job, JsonNode body) {
        if (job == null) {
            return error(404, "NOT_FOUND", "no such offline user data job");
        }
        if (!"PENDING".equals(job.status()[0])) {
            return error(400, "FAILED_PRECONDITION", "the job is " + job.status()[0] + "; operations can only be added while PENDING");
        }
        JsonNode operations = body.path("operations");
        if (!operations.isArray() || operations.isEmpty()) {
            return error(400, "INVALID_ARGUMENT", "operations must be a non-empty array");
        }
        int total = 0;
        List<String> failures = new ArrayList<>();
        List<Integer> failedAt = new ArrayList<>();
        List<JsonNode> valid = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            JsonNode identifiers = operations.get(i).path("create").path("userIdentifiers");
            total += identifiers.size();
            String problem = invalidUser(identifiers);
            if (problem == null) {
                valid.add(identifiers);
            } else {
                failures.add("operations[" + i + "]: " + problem);
                failedAt.add(i);
            }
        }
        if (total > IDENTIFIERS_PER_REQUEST) {
            return error(400, "INVALID_ARGUMENT", "TOO_MANY_USER_IDENTIFIERS: at most " + IDENTIFIERS_PER_REQUEST);
        }
        boolean partial = body.path("enablePartialFailure").asBoolean(false);
        if (!failures.isEmpty() && !partial) {
            return error(400, "INVALID_ARGUMENT", String.join("; ", failures));
        }
        job.operations().addAll(valid);
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        if (!failures.isEmpty()) {
            ObjectNode failure = response.putObject("partialFailureError");
            failure.put("code", 3).put("message", String.join("; ", failures));
            // as Google: one GoogleAdsFailure detail whose errors locate the failed operations by index
            ObjectNode detail = failure.putArray("details").addObject();
            detail.put("@type", "type.googleapis.com/google.ads.googleads.v24.errors.GoogleAdsFailure");
            ArrayNode errors = detail.putArray("errors");
            for (int f = 0; f < failedAt.size(); f++) {
                ObjectNode error = errors.addObject();
                error.putObject("errorCode").put("offlineUserDataJobError", "INVALID_USER_IDENTIFIER");
                error.put("message", failures.get(f));
                error.putObject("location").putArray("fieldPathElements").addObject()
                        .put("fieldName", "operations").put("index", failedAt.get(f));
            }
        }
        return SandboxResponse.json(200, response);
    }

    private static String invalidUser(JsonNode identifiers) {
        if (!identifiers.isArray() || identifiers.isEmpty()) {
            return "create.userIdentifiers must be a non-empty array";
        }
        if (identifiers.size() > IDENTIFIERS_PER_USER) {
            return "TOO_MANY_USER_IDENTIFIERS: at most " + IDENTIFIERS_PER_USER + " per user";
        }
        for (JsonNode identifier : identifiers) {
            List<String> kinds = new ArrayList<>();
            identifier.fieldNames().forEachRemaining(f -> {
                if (IDENTIFIER_KINDS.contains(f)) {
                    kinds.add(f);
                }
            });
            if (kinds.size() != 1) {
                return "each UserIdentifier holds exactly one identifier, got " + identifier.size();
            }
            String kind = kinds.get(0);
            JsonNode value = identifier.get(kind);
            if ((kind.equals("hashedEmail") || kind.equals("hashedPhoneNumber")) && !SandboxJson.isSha256(value)) {
                return kind + " must be a SHA-256 hex digest of the normalised value";
            }
            if (kind.equals("addressInfo") && (!SandboxJson.isSha256(value.get("hashedFirstName"))
                    || !SandboxJson.isSha256(value.get("hashedLastName"))
                    || !value.path("countryCode").asText().matches("[A-Z]{2}") || value.path("postalCode").asText().isBlank())) {
                return "addressInfo needs hashed first and last names, a clear countryCode and postalCode";
            }
        }
        return null;
    }

    private SandboxResponse run(Job job) {
        if (job == null) {
            return error(404, "NOT_FOUND", "no such offline user data job");
        }
        if (!"PENDING".equals(job.status()[0])) {
            return error(400, "FAILED_PRECONDITION", "the job is already " + job.status()[0]);
        }
        ObjectNode list = members.computeIfAbsent(job.userList(), id -> SandboxJson.MAPPER.createObjectNode());
        for (JsonNode user : job.operations()) {
            list.set(user.toString(), user);
        }
        job.status()[0] = "SUCCESS";
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        response.put("name", "customers/" + customerId + "/operations/" + Base64.getEncoder().encodeToString(
                job.resourceName().getBytes(StandardCharsets.UTF_8)));
        return SandboxResponse.json(200, response);
    }

    @Override
    public synchronized JsonNode state(String collection) {
        if ("user-lists".equals(collection)) {
            ObjectNode node = SandboxJson.MAPPER.createObjectNode();
            members.forEach((id, users) -> {
                ArrayNode list = node.putArray(id);
                users.forEach(list::add);
            });
            return node;
        }
        if ("tokens".equals(collection)) {
            return tokens.state();
        }
        if ("jobs".equals(collection)) {
            ArrayNode list = SandboxJson.MAPPER.createArrayNode();
            jobs.values().forEach(j -> list.addObject().put("resourceName", j.resourceName()).put("status", j.status()[0])
                    .put("userList", j.userList()).put("operations", j.operations().size()));
            return list;
        }
        return null;
    }

    @Override
    public synchronized void reset() {
        jobs.clear();
        members.clear();
    }

    private static SandboxResponse error(int status, String code, String message) {
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status).put("message", message).put("status", code);
        return SandboxResponse.json(status, body);
    }
}

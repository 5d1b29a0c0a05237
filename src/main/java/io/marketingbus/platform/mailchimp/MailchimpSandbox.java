package io.marketingbus.platform.mailchimp;

import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.Identifiers;

/**
 * The Mailchimp Marketing API paths flow 3 calls (docs/platforms/mailchimp.md §3–§4): member upsert by subscriber hash
 * (which must be MD5 of the lower-cased address; {@code status_if_new} required for a new member) and member tags
 * (204, no body). HTTP Basic auth with the API key as password; errors as problem JSON.
 */
public final class MailchimpSandbox implements SandboxPlatform {

    private static final Set<String> STATUSES = Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional");

    private final String apiKey;
    private final String listId;
    private final Map<String, ObjectNode> members = new LinkedHashMap<>();

    public MailchimpSandbox(String apiKey, String listId) {
        this.apiKey = apiKey;
        this.listId = listId;
    }

    @Override
    public String name() {
        return "mailchimp";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (!authorised(request.header("authorization"))) {
            return problem(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        }
        String prefix = "/lists/" + listId + "/members/";
        if (!request.path().startsWith(prefix)) {
            return problem(404, "Resource Not Found", "The requested resource could not be found.");
        }
        String rest = request.path().substring(prefix.length());
        JsonNode body = SandboxJson.object(request);
        if (body == null) {
            return problem(400, "JSON Parse Exception", "We encountered an unspecified JSON parsing error.");
        }
        if (!rest.contains("/") && "PUT".equals(request.method())) {
            return upsert(rest, body);
        }
        if (rest.endsWith("/tags") && "POST".equals(request.method())) {
            return tags(rest.substring(0, rest.length() - "/tags".length()), body);
        }
        return problem(405, "Method Not Allowed", request.method() + " " + request.path());
    }

    private SandboxResponse upsert(String hash, JsonNode body) {
        String email = body.path("email_address").asText("");
        if (!Identifiers.isEmail(email)) {
            return problem(400, "Invalid Resource", "Please provide a valid email address.");
        }
        if (!hash.equals(Identifiers.md5Hex(Identifiers.normaliseEmail(email)))) {
            return problem(400, "Invalid Resource", "The subscriber hash is not the MD5 of the lower-case email address.");
        }
        ObjectNode member = members.get(hash);
        if (member == null) {
            String status = body.path("status_if_new").asText(body.path("status").asText(""));
            if (!STATUSES.contains(status)) {
                return problem(400, "Invalid Resource", "The resource submitted could not be validated: status_if_new is required for a new member.");
            }
            member = SandboxJson.MAPPER.createObjectNode();
            member.put("id", hash).put("email_address", email).put("status", status).put("list_id", listId);
            member.putObject("merge_fields");
            member.putArray("tags");
            members.put(hash, member);
        } else if (body.hasNonNull("status")) {
            member.put("status", body.get("status").asText());
        }
        if (body.has("merge_fields")) {
            ((ObjectNode) member.get("merge_fields")).setAll((ObjectNode) body.get("merge_fields"));
        }
        return SandboxResponse.json(200, member);
    }

    private SandboxResponse tags(String hash, JsonNode body) {
        ObjectNode member = members.get(hash);
        if (member == null) {
            return problem(404, "Resource Not Found", "The requested resource could not be found.");
        }
        JsonNode tags = body.path("tags");
        if (!tags.isArray() || tags.isEmpty()) {
            return problem(400, "Invalid Resource", "tags must be a non-empty array");
        }
        ArrayNode current = (ArrayNode) member.get("tags");
        for (JsonNode tag : tags) {
            String name = tag.path("name").asText("");
            String status = tag.path("status").asText("");
            if (name.isEmpty() || !Set.of("active", "inactive").contains(status)) {
                return problem(400, "Invalid Resource", "each tag needs a name and a status of active or inactive");
            }
            for (int i = current.size() - 1; i >= 0; i--) {
                if (current.get(i).path("name").asText().equals(name)) {
                    current.remove(i);
                }
            }
            if ("active".equals(status)) {
                current.addObject().put("name", name).put("automations_fired", !body.path("is_syncing").asBoolean(false));
            }
        }
        return SandboxResponse.empty(204);
    }

    private boolean authorised(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        return decoded.endsWith(":" + apiKey);
    }

    @Override
    public synchronized JsonNode state(String collection) {
        if (!"members".equals(collection)) {
            return null;
        }
        ArrayNode list = SandboxJson.MAPPER.createArrayNode();
        members.values().forEach(list::add);
        return list;
    }

    @Override
    public synchronized void reset() {
        members.clear();
    }

    private static SandboxResponse problem(int status, String title, String detail) {
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        body.put("type", "https://mailchimp.com/developer/marketing/docs/errors/").put("title", title)
                .put("status", status).put("detail", detail).put("instance", java.util.UUID.randomUUID().toString());
        return new SandboxResponse(status, Map.of("Content-Type", "application/problem+json"),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }
}

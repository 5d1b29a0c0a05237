package io.marketingbus.platform.activecampaign;

import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.Identifiers;

/**
 * The ActiveCampaign v3 paths flow 3 calls (docs/platforms/activecampaign.md §3–§4): contact sync by e-mail and adding a contact
 * to an automation, with the {@code Api-Token} header and the account-wide limit of 5 requests per second (429
 * above it).
 */
public final class ActiveCampaignSandbox implements SandboxPlatform {

    static final int REQUESTS_PER_SECOND = 5;

    private final String apiToken;
    private final Clock clock;
    private final Map<String, ObjectNode> contacts = new LinkedHashMap<>();
    private final ArrayNode contactAutomations = SandboxJson.MAPPER.createArrayNode();
    private final Deque<Long> recent = new ArrayDeque<>();
    private int nextId = 117;
    private int throttled;

    public ActiveCampaignSandbox(String apiToken, Clock clock) {
        this.apiToken = apiToken;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "activecampaign";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        long now = clock.millis();
        while (!recent.isEmpty() && recent.peekFirst() <= now - 1000) {
            recent.pollFirst();
        }
        if (recent.size() >= REQUESTS_PER_SECOND) {
            throttled++;
            return error(429, "Too Many Requests");
        }
        recent.addLast(now);
        if (!apiToken.equals(request.header("api-token"))) {
            return error(403, "You are not authorized to access this resource");
        }
        JsonNode body = SandboxJson.object(request);
        if (!"POST".equals(request.method()) || body == null) {
            return error(422, "POST a JSON object");
        }
        if (request.path().equals("/contact/sync")) {
            JsonNode contact = body.path("contact");
            String email = Identifiers.normaliseEmail(contact.path("email").asText(""));
            if (!Identifiers.isEmail(email)) {
                return error(422, "Email address is invalid.");
            }
            ObjectNode stored = contacts.computeIfAbsent(email, e -> {
                ObjectNode c = SandboxJson.MAPPER.createObjectNode();
                c.put("id", String.valueOf(nextId++)).put("email", e);
                return c;
            });
            for (String f : new String[] {"firstName", "lastName", "phone"}) {
                if (contact.hasNonNull(f)) {
                    stored.put(f, contact.get(f).asText());
                }
            }
            ObjectNode response = SandboxJson.MAPPER.createObjectNode();
            response.putArray("fieldValues");
            response.set("contact", stored.deepCopy());
            return SandboxResponse.json(201, response);
        }
        if (request.path().equals("/contactAutomations")) {
            JsonNode ca = body.path("contactAutomation");
            String contactId = ca.path("contact").asText("");
            if (contacts.values().stream().noneMatch(c -> c.get("id").asText().equals(contactId))
                    || ca.path("automation").asText("").isEmpty()) {
                return error(422, "contact and automation must exist");
            }
            ObjectNode entry = contactAutomations.addObject();
            entry.put("contact", contactId).put("automation", ca.get("automation").asText());
            ObjectNode response = SandboxJson.MAPPER.createObjectNode();
            response.set("contactAutomation", entry.deepCopy());
            return SandboxResponse.json(201, response);
        }
        return error(404, "No Result found for " + request.path());
    }

    @Override
    public synchronized JsonNode state(String collection) {
        switch (collection) {
            case "contacts" -> {
                ArrayNode list = SandboxJson.MAPPER.createArrayNode();
                contacts.values().forEach(list::add);
                return list;
            }
            case "contact-automations" -> {
                return contactAutomations.deepCopy();
            }
            case "throttled" -> {
                return SandboxJson.MAPPER.createObjectNode().put("count", throttled);
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public synchronized void reset() {
        contacts.clear();
        contactAutomations.removeAll();
        throttled = 0;
    }

    private static SandboxResponse error(int status, String message) {
        ObjectNode body = SandboxJson.MAPPER.createObjectNode();
        body.putArray("errors").addObject().put("title", message);
        return SandboxResponse.json(status, body);
    }
}

package io.marketingbus.platform.hubspot;

import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The HubSpot CRM v3 contact paths the bus calls, emulated as strictly as the real API documents them
 * (docs/platforms/hubspot.md §5–§8): bearer token required, JSON only, at most 100 inputs per batch, known property
 * names and enumeration values only, contacts unique by e-mail.
 */
public final class HubSpotSandbox implements SandboxPlatform {

    static final int BATCH_LIMIT = 100;
    private static final String CONTACTS = "/crm/v3/objects/contacts/";
    private static final String DEALS = "/crm/v3/objects/deals";
    private static final Set<String> DEAL_PROPERTIES = Set.of("dealname", "amount", "dealstage", "pipeline", "closedate",
            "deal_currency_code", "hubspot_owner_id", "description");
    /** HubSpot-defined association type id of deal → contact. */
    private static final int DEAL_TO_CONTACT = 3;
    private static final Set<String> STANDARD_PROPERTIES = Set.of("email", "firstname", "lastname", "phone",
            "mobilephone", "company", "website", "country", "city", "zip", "address", "jobtitle", "lifecyclestage",
            "hs_lead_status", "hubspot_owner_id");
    private static final Set<String> LIFECYCLE_STAGES = Set.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
    private static final Set<String> LEAD_STATUSES = Set.of("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
            "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING");

    private final ObjectMapper mapper = new ObjectMapper();
    private final io.marketingbus.sandbox.SandboxTokens tokens;
    private final Set<String> customProperties;
    private final Map<String, ObjectNode> contactsById = new LinkedHashMap<>();
    private final AtomicLong nextId = new AtomicLong(51);
    private final Map<String, ObjectNode> dealsById = new LinkedHashMap<>();
    private final Map<String, List<String>> dealContacts = new LinkedHashMap<>();
    private final AtomicLong nextDealId = new AtomicLong(18204751234L);

    /**
     * @param tokens           the bearer tokens calls must carry (a private-app token, or OAuth tokens issued here)
     * @param customProperties contact properties the portal has been given besides HubSpot's standard ones
     */
    public HubSpotSandbox(String accessToken, Set<String> customProperties) {
        this(io.marketingbus.sandbox.SandboxTokens.fixed(accessToken), customProperties);
    }

    public HubSpotSandbox(io.marketingbus.sandbox.SandboxTokens tokens, Set<String> customProperties) {
        this.tokens = tokens;
        this.customProperties = Set.copyOf(customProperties);
    }

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        try {
            return route(request);
        } catch (SandboxRejection e) {
            // a body HubSpot would refuse, found anywhere below: its error answer
            return e.response;
        }
    }

    private SandboxResponse route(SandboxRequest request) {
        if (request.path().equals("/oauth/v3/token")) {
            return tokens.grant(request);
        }
        if (!tokens.accepts(request)) {
            return error(401, "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 and private app access tokens.");
        }
        String path = request.path();
        if (path.equals(CONTACTS + "batch/upsert")) {
            return "POST".equals(request.method()) ? batchUpsert(request) : error(405, "METHOD_NOT_ALLOWED", "use POST");
        }
        if (path.equals(CONTACTS + "search")) {
            return "POST".equals(request.method()) ? searchContacts(request) : error(405, "METHOD_NOT_ALLOWED", "use POST");
        }
        if (path.equals(CONTACTS + "batch/read")) {
            return "POST".equals(request.method()) ? batchRead(request) : error(405, "METHOD_NOT_ALLOWED", "use POST");
        }
        if (path.equals(DEALS) || path.startsWith(DEALS + "/")) {
            return deals(request, path.substring(DEALS.length()));
        }
        if (path.startsWith(CONTACTS) && path.length() > CONTACTS.length() && path.indexOf('/', CONTACTS.length()) < 0) {
            String id = URLDecoder.decode(path.substring(CONTACTS.length()), StandardCharsets.UTF_8);
            return switch (request.method()) {
                case "GET" -> read(id, request.query().get("idProperty"));
                case "PATCH" -> update(id, request.query().get("idProperty"), request);
                default -> error(405, "METHOD_NOT_ALLOWED", request.method() + " is not supported here");
            };
        }
        return error(404, "OBJECT_NOT_FOUND", "no such path in the HubSpot sandbox: " + request.method() + " " + path);
    }

    private SandboxResponse batchUpsert(SandboxRequest request) {
        JsonNode body = jsonBody(request);
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            return error(400, "VALIDATION_ERROR", "inputs must be a non-empty array");
        }
        if (inputs.size() > BATCH_LIMIT) {
            return error(400, "VALIDATION_ERROR", "Batch input limit exceeded: at most " + BATCH_LIMIT + " inputs");
        }
        for (JsonNode input : inputs) {
            if (!"email".equals(input.path("idProperty").asText())) {
                return error(400, "VALIDATION_ERROR", "the sandbox upserts contacts by idProperty email only");
            }
            if (!input.path("id").isTextual() || input.path("id").asText().isBlank()) {
                return error(400, "VALIDATION_ERROR", "each input needs an id");
            }
            String invalid = invalidProperties(input.path("properties"));
            if (invalid != null) {
                return error(400, "VALIDATION_ERROR", invalid);
            }
        }
        String now = Instant.now().toString();
        ObjectNode response = mapper.createObjectNode();
        response.put("status", "COMPLETE").put("requestedAt", now).put("startedAt", now);
        ArrayNode results = response.putArray("results");
        for (JsonNode input : inputs) {
            String email = input.get("id").asText().trim().toLowerCase(Locale.ROOT);
            ObjectNode contact = findByEmail(email);
            boolean created = contact == null;
            if (created) {
                contact = newContact(email, now);
            }
            applyProperties(contact, input.get("properties"), now);
            ObjectNode result = contact.deepCopy();
            result.put("new", created);
            results.add(result);
        }
        response.put("completedAt", Instant.now().toString());
        return SandboxResponse.json(200, response);
    }

    private SandboxResponse read(String id, String idProperty) {
        ObjectNode contact = find(id, idProperty);
        return contact == null ? error(404, "OBJECT_NOT_FOUND", "resource not found") : SandboxResponse.json(200, contact);
    }

    private SandboxResponse update(String id, String idProperty, SandboxRequest request) {
        JsonNode body = jsonBody(request);
        ObjectNode contact = find(id, idProperty);
        if (contact == null) {
            return error(404, "OBJECT_NOT_FOUND", "resource not found");
        }
        String invalid = invalidProperties(body.path("properties"));
        if (invalid != null) {
            return error(400, "VALIDATION_ERROR", invalid);
        }
        String newEmail = body.path("properties").path("email").asText(null);
        if (newEmail != null) {
            ObjectNode owner = findByEmail(newEmail.trim().toLowerCase(Locale.ROOT));
            if (owner != null && owner != contact) {
                return error(409, "CONFLICT", "Contact already exists. Existing ID: " + owner.get("id").asText());
            }
        }
        applyProperties(contact, body.get("properties"), Instant.now().toString());
        return SandboxResponse.json(200, contact);
    }

    /** Contacts whose property EQ the value (the only operator flow 3 needs), at most {@code limit}. */
    private SandboxResponse searchContacts(SandboxRequest request) {
        JsonNode body = searchBody(request);
        int limit = body.path("limit").asInt(10);
        JsonNode filter = body.path("filterGroups").path(0).path("filters").path(0);
        if (!"EQ".equals(filter.path("operator").asText())) {
            return error(400, "VALIDATION_ERROR", "the sandbox searches contacts with one EQ filter");
        }
        String property = filter.path("propertyName").asText();
        String value = filter.path("value").asText();
        List<String> wanted = new ArrayList<>();
        body.path("properties").forEach(p -> wanted.add(p.asText()));
        ObjectNode response = mapper.createObjectNode();
        ArrayNode results = response.putArray("results");
        for (ObjectNode contact : contactsById.values()) {
            String have = "hs_object_id".equals(property) ? contact.path("id").asText()
                    : contact.path("properties").path(property).asText(null);
            if (value.equalsIgnoreCase(have) && results.size() < limit) {
                results.add(withProperties(contact, wanted));
            }
        }
        response.put("total", results.size());
        return SandboxResponse.json(200, response);
    }

    private SandboxResponse batchRead(SandboxRequest request) {
        JsonNode body = jsonBody(request);
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty() || inputs.size() > BATCH_LIMIT) {
            return error(400, "VALIDATION_ERROR", "inputs must hold 1 to " + BATCH_LIMIT + " ids");
        }
        List<String> wanted = new ArrayList<>();
        body.path("properties").forEach(p -> wanted.add(p.asText()));
        ObjectNode response = mapper.createObjectNode();
        ArrayNode results = response.putArray("results");
        ArrayNode errors = mapper.createArrayNode();
        for (JsonNode input : inputs) {
            ObjectNode contact = contactsById.get(input.path("id").asText());
            if (contact == null) {
                errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                        .put("message", "Could not get some CONTACT objects, they may be deleted or not exist.");
                continue;
            }
            results.add(withProperties(contact, wanted));
        }
        response.put("status", "COMPLETE");
        if (!errors.isEmpty()) {
            response.set("errors", errors);
        }
        return SandboxResponse.json(errors.isEmpty() ? 200 : 207, response);
    }

    private SandboxResponse deals(SandboxRequest request, String rest) {
        if (rest.isEmpty() && "POST".equals(request.method())) {
            return createDeal(request);
        }
        if (rest.equals("/search") && "POST".equals(request.method())) {
            return searchDeals(request);
        }
        String id = rest.startsWith("/") ? rest.substring(1) : rest;
        ObjectNode deal = dealsById.get(id);
        if (id.isEmpty() || id.contains("/")) {
            return error(404, "OBJECT_NOT_FOUND", "no such path in the HubSpot sandbox");
        }
        if (deal == null) {
            return error(404, "OBJECT_NOT_FOUND", "resource not found");
        }
        if ("GET".equals(request.method())) {
            List<String> wanted = List.of(request.query().getOrDefault("properties", "").split(","));
            ObjectNode answer = withProperties(deal, wanted);
            if (request.query().getOrDefault("associations", "").contains("contacts")) {
                ArrayNode results = answer.putObject("associations").putObject("contacts").putArray("results");
                dealContacts.getOrDefault(id, List.of()).forEach(c -> results.addObject().put("id", c).put("type", "deal_to_contact"));
            }
            return SandboxResponse.json(200, answer);
        }
        if ("PATCH".equals(request.method())) {
            JsonNode body = jsonBody(request);
            String invalid = invalidDealProperties(body.path("properties"));
            if (invalid != null) {
                return error(400, "VALIDATION_ERROR", invalid);
            }
            applyProperties(deal, body.get("properties"), Instant.now().toString());
            ((ObjectNode) deal.get("properties")).put("hs_lastmodifieddate", deal.get("updatedAt").asText());
            return SandboxResponse.json(200, deal);
        }
        return error(405, "METHOD_NOT_ALLOWED", request.method() + " is not supported here");
    }

    private SandboxResponse createDeal(SandboxRequest request) {
        JsonNode body = jsonBody(request);
        String invalid = invalidDealProperties(body.path("properties"));
        if (invalid != null) {
            return error(400, "VALIDATION_ERROR", invalid);
        }
        List<String> contacts = new ArrayList<>();
        for (JsonNode association : body.path("associations")) {
            String contactId = association.path("to").path("id").asText();
            boolean dealToContact = false;
            for (JsonNode type : association.path("types")) {
                dealToContact |= type.path("associationTypeId").asInt() == DEAL_TO_CONTACT;
            }
            if (!dealToContact || !contactsById.containsKey(contactId)) {
                return error(400, "VALIDATION_ERROR", "association to contact " + contactId
                        + " is invalid: the contact must exist and the type be HUBSPOT_DEFINED " + DEAL_TO_CONTACT);
            }
            contacts.add(contactId);
        }
        String now = Instant.now().toString();
        String id = String.valueOf(nextDealId.getAndIncrement());
        ObjectNode deal = mapper.createObjectNode();
        deal.put("id", id).put("createdAt", now).put("updatedAt", now).put("archived", false);
        ObjectNode properties = deal.putObject("properties");
        properties.put("hs_object_id", id).put("createdate", now);
        applyProperties(deal, body.get("properties"), now);
        properties.put("hs_lastmodifieddate", now);
        dealsById.put(id, deal);
        dealContacts.put(id, contacts);
        return SandboxResponse.json(201, deal);
    }

    /** Deals modified at or after the filters' GTE value (epoch ms), oldest first, paged by {@code after}. */
    private SandboxResponse searchDeals(SandboxRequest request) {
        JsonNode body = searchBody(request);
        int limit = body.path("limit").asInt(10);
        int after = body.path("after").asInt(0);
        if (after + limit > 10_000) {
            return error(400, "VALIDATION_ERROR", "paging past 10,000 results is not allowed");
        }
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode deal : dealsById.values()) {
            if (matchesFilters(deal, body.path("filterGroups"))) {
                matches.add(deal);
            }
        }
        String sortBy = body.path("sorts").path(0).path("propertyName").asText("hs_lastmodifieddate");
        matches.sort(java.util.Comparator.comparing(d -> Instant.parse(d.path("properties").path(sortBy).asText("1970-01-01T00:00:00Z"))));
        List<String> wanted = new ArrayList<>();
        body.path("properties").forEach(p -> wanted.add(p.asText()));
        ObjectNode response = mapper.createObjectNode();
        response.put("total", matches.size());
        ArrayNode results = response.putArray("results");
        matches.stream().skip(after).limit(limit).forEach(d -> results.add(withProperties(d, wanted)));
        if (after + limit < matches.size()) {
            response.putObject("paging").putObject("next").put("after", String.valueOf(after + limit));
        }
        return SandboxResponse.json(200, response);
    }

    private static boolean matchesFilters(ObjectNode deal, JsonNode groups) {
        if (!groups.isArray() || groups.isEmpty()) {
            return true;
        }
        for (JsonNode group : groups) {
            boolean all = true;
            for (JsonNode filter : group.path("filters")) {
                String value = deal.path("properties").path(filter.path("propertyName").asText()).asText(null);
                long have = value == null ? Long.MIN_VALUE : Instant.parse(value).toEpochMilli();
                long want = filter.path("value").asLong();
                all &= switch (filter.path("operator").asText()) {
                    case "GTE" -> have >= want;
                    case "GT" -> have > want;
                    case "LTE" -> have <= want;
                    case "LT" -> have < want;
                    default -> false;
                };
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private String invalidDealProperties(JsonNode properties) {
        if (!properties.isObject()) {
            return "properties must be an object";
        }
        List<String> problems = new ArrayList<>();
        properties.fieldNames().forEachRemaining(name -> {
            if (!DEAL_PROPERTIES.contains(name)) {
                problems.add("Property \"" + name + "\" does not exist");
            }
        });
        if (properties.has("amount") && !properties.get("amount").asText().matches("\\d+(\\.\\d+)?")) {
            problems.add("amount must be a number");
        }
        return problems.isEmpty() ? null : "Property values were not valid: " + String.join("; ", problems);
    }

    /** An object with only the requested properties (plus the ones HubSpot always returns). */
    private ObjectNode withProperties(ObjectNode object, List<String> wanted) {
        ObjectNode copy = object.deepCopy();
        ObjectNode properties = (ObjectNode) copy.get("properties");
        ObjectNode kept = mapper.createObjectNode();
        properties.fields().forEachRemaining(e -> {
            if (wanted.contains(e.getKey()) || Set.of("hs_object_id", "createdate", "lastmodifieddate",
                    "hs_lastmodifieddate").contains(e.getKey())) {
                kept.set(e.getKey(), e.getValue());
            }
        });
        copy.set("properties", kept);
        return copy;
    }

    /** A search body: JSON, and a limit HubSpot accepts (1 to 200). */
    private JsonNode searchBody(SandboxRequest request) {
        JsonNode body = jsonBody(request);
        int limit = body.path("limit").asInt(10);
        if (limit < 1 || limit > 200) {
            throw new SandboxRejection(error(400, "VALIDATION_ERROR", "limit must be between 1 and 200"));
        }
        return body;
    }

    @Override
    public synchronized JsonNode state(String collection) {
        if ("tokens".equals(collection)) {
            return tokens.state();
        }
        if ("deals".equals(collection)) {
            ObjectNode node = mapper.createObjectNode();
            node.put("total", dealsById.size());
            ArrayNode results = node.putArray("results");
            dealsById.forEach((id, deal) -> {
                ObjectNode copy = deal.deepCopy();
                ArrayNode contacts = copy.putArray("contactIds");
                dealContacts.getOrDefault(id, List.of()).forEach(contacts::add);
                results.add(copy);
            });
            return node;
        }
        if (!"contacts".equals(collection)) {
            return null;
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("total", contactsById.size());
        ArrayNode results = node.putArray("results");
        contactsById.values().forEach(c -> results.add(c.deepCopy()));
        return node;
    }

    @Override
    public synchronized void reset() {
        contactsById.clear();
        dealsById.clear();
        dealContacts.clear();
    }

    private ObjectNode find(String id, String idProperty) {
        if ("email".equals(idProperty)) {
            return findByEmail(id.trim().toLowerCase(Locale.ROOT));
        }
        return idProperty == null ? contactsById.get(id) : null;
    }

    private ObjectNode findByEmail(String email) {
        for (ObjectNode contact : contactsById.values()) {
            if (email.equals(contact.path("properties").path("email").asText())) {
                return contact;
            }
        }
        return null;
    }

    private ObjectNode newContact(String email, String now) {
        String id = String.valueOf(nextId.getAndIncrement());
        ObjectNode contact = mapper.createObjectNode();
        contact.put("id", id).put("archived", false).put("createdAt", now).put("updatedAt", now);
        ObjectNode properties = contact.putObject("properties");
        properties.put("email", email).put("createdate", now).put("hs_object_id", id);
        contactsById.put(id, contact);
        return contact;
    }

    private static void applyProperties(ObjectNode contact, JsonNode properties, String now) {
        ObjectNode target = (ObjectNode) contact.get("properties");
        properties.fields().forEachRemaining(e -> {
            String value = e.getValue().asText();
            target.put(e.getKey(), "email".equals(e.getKey()) ? value.trim().toLowerCase(Locale.ROOT) : value);
        });
        target.put("lastmodifieddate", now);
        contact.put("updatedAt", now);
    }

    /** HubSpot refuses unknown property names and values outside an enumeration; so does the sandbox. */
    private String invalidProperties(JsonNode properties) {
        if (!properties.isObject()) {
            return "properties must be an object";
        }
        List<String> problems = new ArrayList<>();
        properties.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!STANDARD_PROPERTIES.contains(name) && !customProperties.contains(name)) {
                problems.add("Property \"" + name + "\" does not exist");
            } else if (!value.isValueNode() || value.isNull()) {
                problems.add("Property \"" + name + "\" must be a string, number or boolean");
            } else if ("lifecyclestage".equals(name) && !LIFECYCLE_STAGES.contains(value.asText())) {
                problems.add(value.asText() + " was not one of the allowed options for lifecyclestage");
            } else if ("hs_lead_status".equals(name) && !LEAD_STATUSES.contains(value.asText())) {
                problems.add(value.asText() + " was not one of the allowed options for hs_lead_status");
            } else if ("email".equals(name) && !value.asText().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                problems.add("Property values were not valid: email " + value.asText());
            }
        });
        return problems.isEmpty() ? null : "Property values were not valid: " + String.join("; ", problems);
    }

    private JsonNode jsonBody(SandboxRequest request) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new SandboxRejection(error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"));
        }
        try {
            JsonNode node = mapper.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw new SandboxRejection(error(400, "VALIDATION_ERROR", "body must be a JSON object"));
            }
            return node;
        } catch (IOException e) {
            throw new SandboxRejection(error(400, "VALIDATION_ERROR", "Invalid input JSON: " + e.getMessage()));
        }
    }

    private SandboxResponse error(int status, String category, String message) {
        ObjectNode body = mapper.createObjectNode();
        body.put("status", "error").put("message", message).put("category", category)
                .put("correlationId", java.util.UUID.randomUUID().toString());
        return SandboxResponse.json(status, body);
    }

    private static final class SandboxRejection extends RuntimeException {
        private final transient SandboxResponse response;

        SandboxRejection(SandboxResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }
}

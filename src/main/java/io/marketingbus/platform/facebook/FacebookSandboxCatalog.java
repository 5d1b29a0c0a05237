package io.marketingbus.platform.facebook;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxResponse;

/**
 * The sandbox's Meta catalog (docs/platforms/facebook.md §10), for {@link FacebookSandbox}: {@code items_batch}
 * refuses a malformed call as a whole ({@code item_type} other than {@code PRODUCT_ITEM}, no requests or more than
 * 5,000, a method other than {@code CREATE}, {@code UPDATE}, {@code DELETE}, a request without {@code data.id}) and
 * judges each item on its own, reporting refused items in {@code check_batch_request_status}'s {@code errors}
 * ({@code line}: the request's index in the call, {@code id}, {@code message}): creating an item (an {@code UPDATE}
 * with {@code allow_upsert} of an id the catalog lacks, or a {@code CREATE}) needs every required field; price
 * {@code "<amount> <ISO 4217>"}; {@code link} and {@code image_link} absolute http(s) URLs (so a test makes Meta
 * refuse one item with a bad link); availability and condition from Meta's lists; no fields Meta does not know.
 */
final class FacebookSandboxCatalog {

    static final int REQUESTS_LIMIT = 5_000;
    static final List<String> REQUIRED_FOR_CREATE = List.of("id", "title", "description", "availability", "condition",
            "price", "link", "image_link");
    private static final Set<String> FIELDS = Set.of("id", "title", "description", "availability", "condition", "price",
            "link", "image_link", "brand", "inventory", "sale_price", "item_group_id", "gtin", "mpn",
            "additional_image_link", "google_product_category", "product_type", "color", "size");
    private static final Set<String> AVAILABILITY = Set.of("in stock", "out of stock", "preorder",
            "available for order", "discontinued");
    private static final Set<String> CONDITION = Set.of("new", "refurbished", "used", "used_like_new", "used_good",
            "used_fair");
    private static final Set<String> METHODS = Set.of("CREATE", "UPDATE", "DELETE");
    private static final Pattern PRICE = Pattern.compile("\\d+(\\.\\d+)? [A-Z]{3}");

    private FacebookSandboxCatalog() {
    }

    static SandboxResponse itemsBatch(Map<String, ObjectNode> catalog, Map<String, ObjectNode> batches, JsonNode body) {
        if (!"PRODUCT_ITEM".equals(body.path("item_type").asText())) {
            return FacebookSandbox.error(400, 100, "Invalid parameter: item_type must be one of PRODUCT_ITEM, ...; got "
                    + body.path("item_type"));
        }
        JsonNode requests = body.path("requests");
        if (!requests.isArray() || requests.isEmpty() || requests.size() > REQUESTS_LIMIT) {
            return FacebookSandbox.error(400, 100, "Invalid parameter: requests must hold 1 to " + REQUESTS_LIMIT
                    + " requests");
        }
        for (JsonNode request : requests) {
            if (!METHODS.contains(request.path("method").asText())) {
                return FacebookSandbox.error(400, 100, "Invalid parameter: method must be CREATE, UPDATE or DELETE; got "
                        + request.path("method"));
            }
            if (!request.path("data").path("id").isTextual() || request.path("data").path("id").asText().isEmpty()) {
                return FacebookSandbox.error(400, 100, "Invalid parameter: every request needs data.id (the retailer id)");
            }
        }
        boolean upsert = body.path("allow_upsert").asBoolean(true);
        ObjectNode batch = SandboxJson.MAPPER.createObjectNode();
        String handle = "sandbox-catalog-batch-" + (batches.size() + 1);
        batch.put("handle", handle);
        batch.put("status", FacebookCatalogItems.FINISHED);
        ArrayNode errors = SandboxJson.MAPPER.createArrayNode();
        for (int line = 0; line < requests.size(); line++) {
            JsonNode request = requests.get(line);
            ObjectNode data = (ObjectNode) request.get("data");
            String id = data.get("id").asText();
            String problem = apply(catalog, request.get("method").asText(), id, data, upsert);
            if (problem != null) {
                errors.addObject().put("line", line).put("id", id).put("message", problem);
            }
        }
        batch.put("errors_total_count", errors.size());
        batch.set("errors", errors);
        batch.put("warnings_total_count", 0);
        batch.putArray("warnings");
        batches.put(handle, batch);
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.putArray("handles").add(handle);
        return SandboxResponse.json(200, answer);
    }

    static SandboxResponse status(Map<String, ObjectNode> batches, String handle) {
        ObjectNode batch = handle == null ? null : batches.get(handle);
        if (batch == null) {
            return FacebookSandbox.error(400, 100, "Invalid parameter: handle " + handle + " is no batch of this catalog");
        }
        ObjectNode answer = SandboxJson.MAPPER.createObjectNode();
        answer.putArray("data").add(batch);
        return SandboxResponse.json(200, answer);
    }

    /** Applies one request; the reason Meta would refuse it, or null. */
    private static String apply(Map<String, ObjectNode> catalog, String method, String id, ObjectNode data,
                                boolean upsert) {
        ObjectNode existing = catalog.get(id);
        if ("DELETE".equals(method)) {
            catalog.remove(id);
            return null;
        }
        if ("CREATE".equals(method) && existing != null) {
            return "An item with retailer id " + id + " already exists in this catalog";
        }
        if (existing == null && "UPDATE".equals(method) && !upsert) {
            return "No item with retailer id " + id + " in this catalog (allow_upsert is false)";
        }
        String problem = invalidFields(data);
        if (problem != null) {
            return problem;
        }
        if (existing == null) {
            for (String field : REQUIRED_FOR_CREATE) {
                if (!data.hasNonNull(field)) {
                    return "Required field " + field + " is missing: an item is created only with "
                            + String.join(", ", REQUIRED_FOR_CREATE);
                }
            }
            catalog.put(id, data.deepCopy());
        } else {
            existing.setAll(data.deepCopy());
        }
        return null;
    }

    private static String invalidFields(ObjectNode data) {
        for (var names = data.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                return "Unknown field " + field + " for a PRODUCT_ITEM";
            }
        }
        if (data.has("price") && !PRICE.matcher(data.path("price").asText()).matches()) {
            return "Invalid price " + data.get("price") + ": the format is \"<amount> <ISO 4217 currency>\", e.g. 12.99 EUR";
        }
        if (data.has("availability") && !AVAILABILITY.contains(data.path("availability").asText())) {
            return "Invalid availability " + data.get("availability");
        }
        if (data.has("condition") && !CONDITION.contains(data.path("condition").asText())) {
            return "Invalid condition " + data.get("condition");
        }
        for (String field : List.of("link", "image_link")) {
            if (data.has(field) && !httpUrl(data.path(field).asText())) {
                return "Invalid URL for field " + field + ": " + data.get(field);
            }
        }
        if (data.has("inventory") && (!data.get("inventory").canConvertToInt() || data.get("inventory").asInt() < 0)) {
            return "Invalid inventory " + data.get("inventory") + ": a whole number of at least 0";
        }
        return null;
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }
}

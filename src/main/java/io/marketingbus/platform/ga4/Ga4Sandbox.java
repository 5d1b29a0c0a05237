package io.marketingbus.platform.ga4;

import io.marketingbus.sandbox.SandboxJson;
import io.marketingbus.sandbox.SandboxPlatform;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GA4 (docs/platforms/ga4.md §2–§6): the Measurement Protocol collect endpoint, which answers 204 whatever it drops,
 * as GA4 does, but records what GA4 would reject (plain personal data, over 25 events) for people and tests to
 * see; and the Data API runReport over the purchases collected, with a property quota. {@code POST
 * /sandbox/ga4/transactions} adds purchases GA4 counted that never went through the bus.
 */
public final class Ga4Sandbox implements SandboxPlatform {

    private static final Set<String> HASHED_USER_DATA = Set.of("sha256_email_address", "sha256_phone_number", "address");

    private final String measurementId;
    private final String apiSecret;
    private final String propertyId;
    private final io.marketingbus.sandbox.SandboxTokens tokens;
    private final List<JsonNode> hits = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, String> transactions = new LinkedHashMap<>();
    private int tokensUsed;

    public Ga4Sandbox(String measurementId, String apiSecret, String propertyId, io.marketingbus.sandbox.SandboxTokens tokens) {
        this.measurementId = measurementId;
        this.apiSecret = apiSecret;
        this.propertyId = propertyId;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "ga4";
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest request) {
        if (request.path().equals("/token")) {
            // Google's token endpoint, for the Data API's OAuth settings
            return tokens.grant(request);
        }
        if (request.path().equals("/mp/collect")) {
            return collect(request);
        }
        if (request.path().equals("/transactions") && "POST".equals(request.method())) {
            JsonNode body = SandboxJson.object(request);
            if (body == null || !body.path("transactionId").isTextual()) {
                return SandboxResponse.json(400, SandboxJson.MAPPER.createObjectNode().put("error", "{\"transactionId\":\"T-1\",\"value\":\"9.9\"} expected"));
            }
            transactions.put(body.get("transactionId").asText(), body.path("value").asText("0"));
            return SandboxResponse.empty(204);
        }
        if (request.path().equals("/v1beta/properties/" + propertyId + ":runReport") && "POST".equals(request.method())) {
            return runReport(request);
        }
        return SandboxResponse.json(404, SandboxJson.MAPPER.createObjectNode().put("error", "no such path: " + request.path()));
    }

    private SandboxResponse collect(SandboxRequest request) {
        if (!"POST".equals(request.method())) {
            return SandboxResponse.empty(405);
        }
        if (!measurementId.equals(request.query().get("measurement_id")) || !apiSecret.equals(request.query().get("api_secret"))) {
            violations.add("hit with a wrong measurement_id or api_secret (GA4 drops it silently)");
            return SandboxResponse.empty(204);
        }
        JsonNode hit = SandboxJson.object(request);
        if (hit == null) {
            violations.add("hit that is not a JSON object");
            return SandboxResponse.empty(204);
        }
        if (hit.path("events").size() > 25) {
            violations.add("hit with more than 25 events");
        }
        hit.path("user_data").fieldNames().forEachRemaining(f -> {
            if (!HASHED_USER_DATA.contains(f)) {
                violations.add("plain personal data in user_data." + f);
            }
        });
        hit.path("user_data").path("address").forEach(a -> a.fieldNames().forEachRemaining(f -> {
            if (Set.of("first_name", "last_name", "street").contains(f)) {
                violations.add("plain personal data in user_data.address." + f);
            }
        }));
        hits.add(hit);
        for (JsonNode event : hit.path("events")) {
            if ("purchase".equals(event.path("name").asText()) && event.path("params").hasNonNull("transaction_id")) {
                transactions.put(event.path("params").get("transaction_id").asText(),
                        event.path("params").path("value").asText("0"));
            }
        }
        return SandboxResponse.empty(204);
    }

    private SandboxResponse runReport(SandboxRequest request) {
        if (!tokens.accepts(request)) {
            return SandboxResponse.json(401, SandboxJson.MAPPER.createObjectNode().put("error", "UNAUTHENTICATED"));
        }
        JsonNode body = SandboxJson.object(request);
        if (body == null || !body.path("dateRanges").isArray() || body.path("dateRanges").isEmpty()) {
            return SandboxResponse.json(400, SandboxJson.MAPPER.createObjectNode().put("error", "dateRanges required"));
        }
        int limit = Math.min(100_000, Integer.parseInt(body.path("limit").asText("10000")));
        int offset = Integer.parseInt(body.path("offset").asText("0"));
        tokensUsed += 10;
        ObjectNode response = SandboxJson.MAPPER.createObjectNode();
        response.putArray("dimensionHeaders").addObject().put("name", "transactionId");
        response.putArray("metricHeaders").addObject().put("name", "purchaseRevenue").put("type", "TYPE_CURRENCY");
        ArrayNode rows = response.putArray("rows");
        transactions.entrySet().stream().skip(offset).limit(limit).forEach(t -> {
            ObjectNode row = rows.addObject();
            row.putArray("dimensionValues").addObject().put("value", t.getKey());
            row.putArray("metricValues").addObject().put("value", t.getValue());
        });
        response.put("rowCount", transactions.size());
        ObjectNode quota = response.putObject("propertyQuota");
        quota.putObject("tokensPerDay").put("consumed", 10).put("remaining", 200_000 - tokensUsed);
        quota.putObject("tokensPerHour").put("consumed", 10).put("remaining", 40_000 - tokensUsed);
        response.put("kind", "analyticsData#runReport");
        return SandboxResponse.json(200, response);
    }

    @Override
    public synchronized JsonNode state(String collection) {
        if ("tokens".equals(collection)) {
            return tokens.state();
        }
        ArrayNode list = SandboxJson.MAPPER.createArrayNode();
        switch (collection) {
            case "hits" -> hits.forEach(list::add);
            case "violations" -> violations.forEach(list::add);
            case "transactions" -> transactions.keySet().forEach(list::add);
            default -> {
                return null;
            }
        }
        return list;
    }

    @Override
    public synchronized void reset() {
        hits.clear();
        violations.clear();
        transactions.clear();
    }
}

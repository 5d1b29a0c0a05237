package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** The sandbox's catalog is as strict as Meta documents items_batch (docs/platforms/facebook.md §10). */
class FacebookSandboxCatalogTest {

    static final String CATALOG = "1357924680135792";
    final FacebookSandbox sandbox = new FacebookSandbox("sandbox-facebook", "v25.0", Set.of("1"), "2", CATALOG,
            Clock.systemUTC());
    final ObjectMapper mapper = new ObjectMapper();

    SandboxResponse call(String method, String path, Map<String, String> query, JsonNode body, String token) {
        return sandbox.handle(new SandboxRequest(method, path, query, Map.of("authorization", "Bearer " + token,
                "content-type", "application/json"),
                body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    JsonNode json(SandboxResponse response) throws Exception {
        return mapper.readTree(response.body());
    }

    ObjectNode batch(String sample) {
        return (ObjectNode) Samples.json(sample).deepCopy();
    }

    /** Posts the batch and returns its finished status. */
    JsonNode post(JsonNode body) throws Exception {
        SandboxResponse posted = call("POST", "/v25.0/" + CATALOG + "/items_batch", Map.of(), body, "sandbox-facebook");
        assertThat(posted.status()).as(new String(posted.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String handle = json(posted).at("/handles/0").asText();
        SandboxResponse status = call("GET", "/v25.0/" + CATALOG + "/check_batch_request_status",
                Map.of("handle", handle), null, "sandbox-facebook");
        assertThat(status.status()).isEqualTo(200);
        return json(status).at("/data/0");
    }

    @Test
    void createUpdateInventoryAndDeleteAnItem() throws Exception {
        assertThat(post(batch("facebook-catalog-items-batch-request.json")).path("errors")).isEmpty();
        assertThat(sandbox.state("catalog").at("/shop-example-com-SKU-123/price").asText()).isEqualTo("12.99 EUR");

        JsonNode stock = post(batch("facebook-catalog-items-batch-inventory-request.json"));
        assertThat(stock.path("status").asText()).isEqualTo("finished");
        assertThat(stock.path("errors")).isEmpty();
        JsonNode item = sandbox.state("catalog").path("shop-example-com-SKU-123");
        assertThat(item.path("availability").asText()).isEqualTo("out of stock");
        assertThat(item.path("title").asText()).isEqualTo("Linen shirt");

        assertThat(post(batch("facebook-catalog-items-batch-delete-request.json")).path("errors")).isEmpty();
        assertThat(sandbox.state("catalog")).isEmpty();
    }

    @Test
    void aNewItemNeedsEveryRequiredFieldAndValidValuesAndOnlyItIsRefused() throws Exception {
        ObjectNode body = batch("facebook-catalog-items-batch-request.json");
        ArrayNode requests = (ArrayNode) body.get("requests");
        ObjectNode badLink = requests.get(0).deepCopy();
        ((ObjectNode) badLink.get("data")).put("id", "bad-link").put("link", "not-a-url");
        ObjectNode badPrice = requests.get(0).deepCopy();
        ((ObjectNode) badPrice.get("data")).put("id", "bad-price").put("price", "12,99€");
        requests.add(badLink).add(badPrice);
        requests.add(batch("facebook-catalog-items-batch-inventory-request.json").at("/requests/0").deepCopy());
        ((ObjectNode) requests.get(3).get("data")).put("id", "stock-only-new");

        JsonNode status = post(body);

        assertThat(status.path("errors_total_count").asInt()).isEqualTo(3);
        assertThat(status.path("errors")).extracting(e -> e.path("id").asText() + "@" + e.path("line").asInt())
                .containsExactly("bad-link@1", "bad-price@2", "stock-only-new@3");
        assertThat(status.at("/errors/0/message").asText()).contains("Invalid URL for field link");
        assertThat(status.at("/errors/2/message").asText()).contains("Required field title is missing");
        assertThat(sandbox.state("catalog").size()).isEqualTo(1);
        assertThat(sandbox.state("catalog").has("shop-example-com-SKU-123")).isTrue();
    }

    @Test
    void aMalformedCallIsRefusedAsAWhole() throws Exception {
        ObjectNode wrongType = batch("facebook-catalog-items-batch-request.json").put("item_type", "HOTEL");
        ObjectNode wrongMethod = batch("facebook-catalog-items-batch-request.json");
        ((ObjectNode) wrongMethod.at("/requests/0")).put("method", "UPSERT");
        ObjectNode tooMany = batch("facebook-catalog-items-batch-request.json");
        ArrayNode requests = (ArrayNode) tooMany.get("requests");
        for (int i = 0; i < 5_000; i++) {
            requests.add(requests.get(0));
        }
        for (ObjectNode body : new ObjectNode[] {wrongType, wrongMethod, tooMany}) {
            SandboxResponse answer = call("POST", "/v25.0/" + CATALOG + "/items_batch", Map.of(), body, "sandbox-facebook");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(json(answer).at("/error/code").asInt()).isEqualTo(100);
        }
        assertThat(call("POST", "/v25.0/" + CATALOG + "/items_batch", Map.of(),
                batch("facebook-catalog-items-batch-request.json"), "wrong-token").status()).isEqualTo(400);
        assertThat(call("GET", "/v25.0/" + CATALOG + "/check_batch_request_status", Map.of("handle", "nope"), null,
                "sandbox-facebook").status()).isEqualTo(400);
        assertThat(sandbox.state("catalog")).isEmpty();
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.support.EventStory;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.StoreWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bus keeps to count an order once and to reverse it survives a restart: the purchase ledger (with the
 * resolver's delivered ids) and the Shopify state (an order's facts for its later refund).
 */
class StoreOrderRestartTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String EMAIL = "restarted@example.com";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;
    FakePlatform hubspot;
    FakePlatform ga4;

    @BeforeEach
    void fakes() {
        hubspot = FakePlatform.hubspot();
        ga4 = FakePlatform.ga4();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer pat-restart"))
                .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        // HubSpot has both orders by the time of the refund
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).withHeader("Authorization", equalTo("Bearer pat-restart"))
                .willReturn(Fakes.json("{\"total\":1,\"results\":[{\"id\":\"77\",\"properties\":{\"email\":\"" + EMAIL
                        + "\",\"order_count\":\"2\",\"order_total\":\"214.72\"}}]}")));
        ga4.stubFor(post(urlPathEqualTo("/mp/collect")).willReturn(aResponse().withStatus(204)));
    }

    @AfterEach
    void stopFakes() {
        FakePlatform.stopAll(hubspot, ga4);
    }

    RunningBus bus() throws Exception {
        return RunningBus.startWith(dataDir, Map.ofEntries(
                Map.entry("hubspot.access-token", "pat-restart"),
                Map.entry("hubspot.client-secret", "restart-client-secret"),
                Map.entry("mailchimp.webhook-secret", "restart-secret"),
                Map.entry("ga4.measurement-id", "G-TEST123"),
                Map.entry("ga4.api-secret", "relay-secret"),
                Map.entry("loyalty.enabled", "false"),
                Map.entry("shopify.webhook-secrets", "shpss_restart_secret_0123456789")), hubspot, ga4);
    }

    static HttpResponse<String> shopify(RunningBus bus, String topic, String webhookId, JsonNode body) throws Exception {
        String raw = body.toString();
        return StoreWebhooks.shopify(bus, "example-store.myshopify.com", topic, webhookId, raw,
                StoreWebhooks.sign("shpss_restart_secret_0123456789", raw));
    }

    static ObjectNode order(String name, long id) {
        ObjectNode order = (ObjectNode) Samples.json("shopify-order.json").deepCopy();
        order.put("email", EMAIL).put("contact_email", EMAIL).put("name", name).put("id", id);
        ((ObjectNode) order.get("customer")).put("email", EMAIL);
        return order;
    }

    static HttpResponse<String> ga4(RunningBus bus, String transactionId) throws Exception {
        return bus.post("/mp/collect?measurement_id=G-TEST123&api_secret=relay-secret", "application/json",
                Ga4Hits.purchaseByEmail(EMAIL, transactionId, 107.36).toString());
    }

    List<JsonNode> upserts() throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (LoggedRequest request : hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)))) {
            for (JsonNode input : MAPPER.readTree(request.getBodyAsString()).path("inputs")) {
                found.add(input.path("properties"));
            }
        }
        return found;
    }

    static List<String> story(RunningBus bus, String eventId) throws Exception {
        return EventStory.of(bus, eventId);
    }

    @Test
    void anOrderCountedBeforeARestartIsNotCountedAgainAfterItAndItsRefundStillApplies() throws Exception {
        try (RunningBus before = bus()) {
            assertThat(ga4(before, "#R1").statusCode()).isEqualTo(204);
            assertThat(shopify(before, "orders/create", "w-r2", order("#R2", 9002)).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> upserts().size() == 2);
        }

        try (RunningBus after = bus()) {
            // the other source's copy of each order, after the restart
            assertThat(shopify(after, "orders/create", "w-r1", order("#R1", 9001)).statusCode()).isEqualTo(200);
            assertThat(ga4(after, "#R2").statusCode()).isEqualTo(204);
            // a refund names only its order id: the order's facts were kept before the restart
            JsonNode refund = MAPPER.readTree("{\"id\":9902,\"order_id\":9002,\"created_at\":\"2026-01-06T10:00:00+01:00\","
                    + "\"transactions\":[{\"kind\":\"refund\",\"status\":\"success\",\"amount\":\"64.95\"}]}");
            HttpResponse<String> refunded = shopify(after, "refunds/create", "w-r2-refund", refund);
            assertThat(MAPPER.readTree(refunded.body()).get("accepted").asInt()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> story(after, "shopify-w-r1").contains("resolver skipped")
                    && story(after, "ga4-#R2").contains("resolver skipped")
                    && story(after, "shopify-refund-9902").contains("hubspot delivered"));
        }
        List<JsonNode> upserts = upserts();
        assertThat(upserts).hasSize(3);
        assertThat(upserts.get(2).get("order_count").asText()).isEqualTo("2");
        assertThat(upserts.get(2).get("order_total").asText()).isEqualTo("161.04");
    }
}

package io.marketingbus.flows;

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
import io.marketingbus.support.EventStory;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.StoreWebhooks;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 3's cross-source dedup with {@code crm.provider=salesforce}, end to end against the sandbox Salesforce: a
 * store's order and GA4's copy of it counted once on the buyer's Contact, a copy bringing the value the first lacked
 * adds it without counting again, a refund lowers the total, a cancellation the count, never below zero; the last
 * order and the customer status stay; HubSpot is never asked.
 */
class SalesforceStoreOrdersTest {

    static final String SHOP = "example-store.myshopify.com";
    static final String SHOPIFY_SECRET = "shpss_test_webhook_secret_1234";
    static final String RELAY = "/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("crm.provider", "salesforce", "shopify.webhook-secrets", SHOPIFY_SECRET));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static HttpResponse<String> shopify(String topic, String webhookId, String body, String hmac) throws Exception {
        return shopify(bus, topic, webhookId, body, hmac);
    }

    /** A Shopify webhook to this bus, signed with {@link #SHOPIFY_SECRET} (the bus must have it in shopify.webhook-secrets). */
    static HttpResponse<String> shopify(RunningBus on, String topic, String webhookId, JsonNode body) throws Exception {
        String raw = body.toString();
        return shopify(on, topic, webhookId, raw, StoreWebhooks.sign(SHOPIFY_SECRET, raw));
    }

    static HttpResponse<String> shopify(RunningBus on, String topic, String webhookId, String body, String hmac) throws Exception {
        return StoreWebhooks.shopify(on, SHOP, topic, webhookId, body, hmac);
    }

    static HttpResponse<String> shopify(String topic, String webhookId, JsonNode body) throws Exception {
        return shopify(bus, topic, webhookId, body);
    }

    static HttpResponse<String> ga4Purchase(String email, String transactionId, Double value) throws Exception {
        return bus.post(RELAY, "application/json", Ga4Hits.purchaseByEmail(email, transactionId, value).toString());
    }

    static JsonNode contact(String email) throws Exception {
        for (JsonNode c : MAPPER.readTree(bus.get("/sandbox/salesforce/Contact").body())) {
            if (email.equals(c.path("Email").asText())) {
                return c;
            }
        }
        return MAPPER.createObjectNode();
    }

    static boolean has(String email, int count, String total) throws Exception {
        JsonNode c = contact(email);
        return c.path("Order_Count__c").isNumber() && c.path("Order_Count__c").asInt() == count
                && c.path("Order_Total__c").decimalValue().compareTo(new java.math.BigDecimal(total)) == 0;
    }

    /** The sandbox's calls that name this e-mail (SOQL queries and collections upserts). */
    static List<String> callsFor(String email) throws Exception {
        List<String> found = new ArrayList<>();
        for (JsonNode call : MAPPER.readTree(bus.get("/sandbox/salesforce/calls").body())) {
            if (call.toString().contains(email)) {
                found.add(call.toString());
            }
        }
        return found;
    }

    static List<String> story(String eventId) throws Exception {
        return EventStory.of(bus, eventId);
    }

    static void awaitStory(String eventId, String step) {
        await().atMost(Duration.ofSeconds(30)).until(() -> story(eventId).contains(step));
    }

    static long adjustedFor(String email) {
        return Topics.readAll(bus.bootstrapServers(), "marketing.conversions").stream().map(Topics::value)
                .filter(v -> v.contains("marketing.conversion.adjusted") && v.contains(email)).count();
    }

    @Test
    void theSignedShopifyOrderAndGa4sCopyCountOnceThenARefundAndACancellationLowerTheContactNeverBelowZero() throws Exception {
        String email = "lucia.martin@example.com";
        HttpResponse<String> order = shopify("orders/create", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
                Samples.text("shopify-order.json"), Samples.vectors().at("/signatures/shopify/value").asText());
        assertThat(order.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> has(email, 1, "107.36"));
        JsonNode counted = contact(email);
        assertThat(counted.get("Customer_Status__c").asText()).isEqualTo("Customer");
        assertThat(counted.get("Last_Order_Value__c").decimalValue()).isEqualByComparingTo("107.36");

        // GA4's copy of the same order: skipped, the Contact still has one order
        assertThat(ga4Purchase(email, "#1001", 107.36).statusCode()).isEqualTo(204);
        awaitStory("ga4-#1001", "resolver skipped");

        JsonNode refund = MAPPER.readTree("{\"id\":95001,\"order_id\":5678901234567,\"created_at\":\"2026-01-06T10:00:00+01:00\","
                + "\"transactions\":[{\"kind\":\"refund\",\"status\":\"success\",\"amount\":\"64.95\"}]}");
        assertThat(shopify("refunds/create", "w-refund", refund).statusCode()).isEqualTo(200);
        // half the gross refunded: half the order's value off the total, the count stays
        await().atMost(Duration.ofSeconds(30)).until(() -> has(email, 1, "53.68"));

        ObjectNode cancelled = (ObjectNode) Samples.json("shopify-order.json").deepCopy();
        cancelled.put("cancelled_at", "2026-01-06T11:00:00+01:00").put("financial_status", "partially_refunded");
        cancelled.putArray("refunds").add(refund);
        assertThat(shopify("orders/cancelled", "w-cancel", cancelled).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> has(email, 0, "0"));

        // a later refund of the cancelled order is skipped: nothing goes below zero
        JsonNode late = MAPPER.readTree("{\"id\":95002,\"order_id\":5678901234567,\"created_at\":\"2026-01-06T12:00:00+01:00\","
                + "\"transactions\":[{\"kind\":\"refund\",\"status\":\"success\",\"amount\":\"10.00\"}]}");
        assertThat(shopify("refunds/create", "w-refund-late", late).statusCode()).isEqualTo(200);
        awaitStory("shopify-refund-95002", "resolver skipped");
        JsonNode after = contact(email);
        assertThat(after.get("Order_Count__c").asInt()).isZero();
        assertThat(after.get("Order_Total__c").decimalValue()).isEqualByComparingTo("0");
        // the adjustments changed the count and total only
        assertThat(after.get("Customer_Status__c").asText()).isEqualTo("Customer");
        assertThat(after.get("Last_Order_Value__c").decimalValue()).isEqualByComparingTo("107.36");
        assertThat(after.get("Last_Order_Date__c").asText()).isEqualTo(counted.get("Last_Order_Date__c").asText());
        assertThat(after.get("Last_Order_Currency__c").asText()).isEqualTo("EUR");

        assertThat(adjustedFor(email)).isEqualTo(2);
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.purchases.resolver.dlq")).isEmpty();
        assertThat(bus.get("/sandbox/hubspot/contacts").body()).doesNotContain(email);
        // one SOQL lookup each for the order, the refund and the cancellation; none for the skipped copies
        List<String> calls = callsFor(email);
        System.out.println("salesforce calls naming " + email + ": " + calls.size() + " " + calls);
        assertThat(calls).hasSize(3).allMatch(c -> c.contains("\"call\":\"query\""));
    }

    @Test
    void aGa4CopyWithoutValueThenTheStoresOrderAddsTheValueWithoutCountingAgain() throws Exception {
        String email = "sf-ga4-first@example.com";
        assertThat(ga4Purchase(email, "#2001", null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> has(email, 1, "0"));

        assertThat(shopify("orders/create", "w-2001", StoreOrdersFlowTest.shopifyOrder(email, "#2001", 2001)).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> has(email, 1, "107.36"));
        assertThat(contact(email).get("Last_Order_Value__c").decimalValue()).isEqualByComparingTo("107.36");
        assertThat(adjustedFor(email)).isEqualTo(1);
    }
}

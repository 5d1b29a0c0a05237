package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crm.provider=both}: every contact event reaches HubSpot and Salesforce, each through its own delivery, and a
 * purchase resolved in HubSpot updates the customer in both, and so does a store's cancellation of an order (the
 * adjustment HubSpot's resolver computes); and
 * an org over its API allocation (403 {@code REQUEST_LIMIT_EXCEEDED}) pauses the Salesforce delivery until calls are
 * allowed again, losing nothing, while HubSpot is not held up; the usage is a metric.
 */
class SalesforceBothAndLimitsTest {

    static final String SECRET = "s3cret-path-both";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void eachCrmGetsItsCallsAndTheOrgsLimitPausesOnlySalesforce() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("crm.provider", "both", "mailchimp.webhook-secret", SECRET,
                "shopify.webhook-secrets", SalesforceStoreOrdersTest.SHOPIFY_SECRET,
                // the org allows 2 calls per rolling 3 s
                "salesforce.sandbox.api-allocation", "2", "salesforce.sandbox.api-window-ms", "3000"))) {
            int people = 8;
            for (int i = 0; i < people; i++) {
                assertThat(bus.postForm("/webhooks/mailchimp/" + SECRET, SalesforceFlowsTest.subscribeFor("both" + i + "@example.com"))
                        .statusCode()).isEqualTo(200);
                Thread.sleep(150);
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> count(bus, "/sandbox/salesforce/Lead", "Marketing_Email__c") == people);
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.get("/sandbox/hubspot/contacts").body().contains("both7@example.com"));
            for (int i = 0; i < people; i++) {
                assertThat(bus.get("/sandbox/hubspot/contacts").body()).contains("both" + i + "@example.com");
            }
            JsonNode limits = MAPPER.readTree(bus.get("/sandbox/salesforce/limits").body());
            assertThat(limits.get("refused").asInt()).isPositive();
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions.salesforce.dlq")).isEmpty();
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions.hubspot.dlq")).isEmpty();

            // flow 3 with both: HubSpot resolves the customer (its contact id in user_id), both CRMs get the order facts
            JsonNode created = MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(bus.url("/sandbox/hubspot/crm/v3/objects/contacts/batch/upsert")))
                    .header("Authorization", "Bearer sandbox-hubspot").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"buyer@example.com\","
                            + "\"properties\":{\"email\":\"buyer@example.com\",\"firstname\":\"Bea\",\"lastname\":\"Buyer\"}}]}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String hubspotId = created.at("/results/0/id").asText();
            assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json",
                    SalesforceConversionTest.purchase("hs-contact-" + hubspotId, "T-BOTH-1", 50).toString()).statusCode()).isBetween(200, 204);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (JsonNode contact : MAPPER.readTree(bus.get("/sandbox/salesforce/Contact").body())) {
                    if ("buyer@example.com".equals(contact.path("Email").asText())) {
                        return contact.path("Order_Count__c").asInt() == 1 && "Buyer".equals(contact.path("LastName").asText());
                    }
                }
                return false;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (JsonNode contact : MAPPER.readTree(bus.get("/sandbox/hubspot/contacts").body()).path("results")) {
                    if ("buyer@example.com".equals(contact.at("/properties/email").asText())) {
                        return "1".equals(contact.at("/properties/order_count").asText());
                    }
                }
                return false;
            });

            // a store's order then its cancellation with both: HubSpot computes the adjustment, both CRMs apply it
            String shopper = "both-store@example.com";
            com.fasterxml.jackson.databind.node.ObjectNode order = StoreOrdersFlowTest.shopifyOrder(shopper, "#7001", 7001);
            assertThat(SalesforceStoreOrdersTest.shopify(bus, "orders/create", "w-7001", order).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> "1".equals(salesforce(bus, shopper).path("Order_Count__c").asText())
                    && "1".equals(hubspot(bus, shopper).path("order_count").asText()));
            String lastOrderDate = salesforce(bus, shopper).get("Last_Order_Date__c").asText();
            order.put("cancelled_at", "2026-01-09T11:00:00+01:00").put("financial_status", "refunded");
            assertThat(SalesforceStoreOrdersTest.shopify(bus, "orders/cancelled", "w-7001-cancel", order).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> "0".equals(salesforce(bus, shopper).path("Order_Count__c").asText())
                    && "0".equals(hubspot(bus, shopper).path("order_count").asText()));
            assertThat(salesforce(bus, shopper).get("Order_Total__c").decimalValue()).isEqualByComparingTo("0");
            assertThat(salesforce(bus, shopper).get("Customer_Status__c").asText()).isEqualTo("Customer");
            // the cancellation (days later) is not the last order
            assertThat(salesforce(bus, shopper).get("Last_Order_Date__c").asText()).isEqualTo(lastOrderDate);
            assertThat(hubspot(bus, shopper).get("order_total").asText()).isEqualTo("0");
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.conversions.salesforce.dlq")).isEmpty();
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.conversions.hubspot.dlq")).isEmpty();

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/observe/metrics")))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("# HELP marketing_bus_salesforce_api_requests_used")
                    .contains("marketing_bus_salesforce_api_requests_allowed 2.0");
        }
    }

    static JsonNode salesforce(RunningBus bus, String email) throws Exception {
        for (JsonNode contact : MAPPER.readTree(bus.get("/sandbox/salesforce/Contact").body())) {
            if (email.equals(contact.path("Email").asText())) {
                return contact;
            }
        }
        return MAPPER.createObjectNode();
    }

    static JsonNode hubspot(RunningBus bus, String email) throws Exception {
        for (JsonNode contact : MAPPER.readTree(bus.get("/sandbox/hubspot/contacts").body()).path("results")) {
            if (email.equals(contact.at("/properties/email").asText())) {
                return contact.path("properties");
            }
        }
        return MAPPER.createObjectNode();
    }

    static int count(RunningBus bus, String path, String field) throws Exception {
        int n = 0;
        for (JsonNode record : MAPPER.readTree(bus.get(path).body())) {
            n += record.path(field).asText().startsWith("both") ? 1 : 0;
        }
        return n;
    }
}

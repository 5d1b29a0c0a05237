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
 * purchase resolved in HubSpot updates the customer in both; and
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

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/observe/metrics")))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("# HELP marketing_bus_salesforce_api_requests_used")
                    .contains("marketing_bus_salesforce_api_requests_allowed 2.0");
        }
    }

    static int count(RunningBus bus, String path, String field) throws Exception {
        int n = 0;
        for (JsonNode record : MAPPER.readTree(bus.get(path).body())) {
            n += record.path(field).asText().startsWith("both") ? 1 : 0;
        }
        return n;
    }
}

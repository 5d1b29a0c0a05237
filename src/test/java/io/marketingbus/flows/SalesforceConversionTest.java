package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 3 with {@code crm.provider=salesforce} end to end: GA4 purchases in through the relay, the customer and their
 * history found in the sandbox Salesforce (SOQL), the conversion published, and the buyer's Contact updated with the
 * mapped order facts; HubSpot is neither asked nor written.
 */
class SalesforceConversionTest {

    static final String RELAY = "/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("crm.provider", "salesforce", "ga4.user-id-prefix", "sf-contact-"));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static ObjectNode purchase(String userId, String transactionId, double value) {
        return Ga4Hits.purchaseByUser(userId, transactionId, value);
    }

    static JsonNode contact(String email) throws Exception {
        for (JsonNode c : MAPPER.readTree(bus.get("/sandbox/salesforce/Contact").body())) {
            if (email.equals(c.path("Email").asText())) {
                return c;
            }
        }
        return null;
    }

    @Test
    void aPurchaseFindsItsContactInSalesforceAndWritesTheMappedOrderFacts() throws Exception {
        String token = SalesforceOpportunityPollTest.token(bus);
        String id = SalesforceOpportunityPollTest.write(bus, token, "POST", "Contact", "{\"LastName\":\"Martin\",\"FirstName\":\"Lucia\","
                + "\"Email\":\"lucia.martin@example.com\",\"Marketing_Email__c\":\"lucia.martin@example.com\","
                + "\"Order_Count__c\":2,\"Order_Total__c\":300}");

        assertThat(bus.post(RELAY, "application/json", purchase("sf-contact-" + id, "T-SF-1", 129.9).toString()).statusCode())
                .isBetween(200, 204);

        await().atMost(Duration.ofSeconds(30)).until(() -> contact("lucia.martin@example.com").path("Order_Count__c").asInt() == 3);
        JsonNode lucia = contact("lucia.martin@example.com");
        assertThat(lucia.get("Id").asText()).isEqualTo(id);
        assertThat(lucia.get("Order_Total__c").decimalValue()).isEqualByComparingTo("429.9");
        assertThat(lucia.get("Last_Order_Value__c").decimalValue()).isEqualByComparingTo("129.9");
        assertThat(lucia.get("Last_Order_Currency__c").asText()).isEqualTo("EUR");
        assertThat(lucia.get("Last_Order_Date__c").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(lucia.get("Customer_Status__c").asText()).isEqualTo("Customer");
        JsonNode conversion = Topics.readAll(bus.bootstrapServers(), "marketing.conversions").stream()
                .map(r -> {
                    try {
                        return MAPPER.readTree(Topics.value(r));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).filter(e -> e.path("id").asText().equals("ga4-T-SF-1")).findFirst().orElseThrow();
        assertThat(conversion.at("/data/conversion/purchaseNumber").asInt()).isEqualTo(3);
        assertThat(conversion.at("/data/contact/crmId").asText()).isEqualTo(id);
        // HubSpot is not this flow's CRM: its sandbox saw nothing
        assertThat(bus.get("/sandbox/hubspot/contacts").body()).doesNotContain("lucia.martin@example.com");
        assertThat(MAPPER.readTree(bus.get("/sandbox/salesforce/calls").body()).toString())
                .contains("FROM Contact WHERE Id = '" + id + "' LIMIT 2");
    }

    @Test
    void aUserIdSalesforceDoesNotKnowIsDeadLetteredWithTheReason() throws Exception {
        bus.post(RELAY, "application/json", purchase("sf-contact-003000000000999AAA", "T-SF-NOBODY", 10).toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), "marketing.purchases.resolver.dlq")
                .stream().anyMatch(r -> Topics.value(r).contains("T-SF-NOBODY")));
        var dead = Topics.readAll(bus.bootstrapServers(), "marketing.purchases.resolver.dlq").stream()
                .filter(r -> Topics.value(r).contains("T-SF-NOBODY")).findFirst().orElseThrow();
        assertThat(Topics.header(dead, "bus-dlq-reason")).contains("no Salesforce contact has Id = 003000000000999AAA");
    }
}

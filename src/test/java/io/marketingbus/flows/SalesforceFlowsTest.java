package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 1 into Salesforce end to end with {@code crm.provider=salesforce}: the real Main, the embedded broker, Mailchimp
 * webhooks in, and the built-in Salesforce sandbox, which camel-salesforce logs in to (refresh-token flow) and whose
 * sessions expire every few seconds, so the bus logs in again mid-run.
 */
class SalesforceFlowsTest {

    static final String SECRET = "s3cret-path-sf16";
    static final String WEBHOOK = "/webhooks/mailchimp/" + SECRET;
    static final String DLQ = "marketing.subscriptions.salesforce.dlq";

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("crm.provider", "salesforce", "mailchimp.webhook-secret", SECRET,
                "sandbox.oauth.token-lifetime-ms", "3000"));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static String subscribeFor(String email) {
        return Samples.text("mailchimp-subscribe.form").replace("lucia.martin%40example.com", email.replace("@", "%40"));
    }

    static JsonNode sandbox(String collection) throws Exception {
        return MAPPER.readTree(bus.get("/sandbox/salesforce/" + collection).body());
    }

    static JsonNode lead(String email) throws Exception {
        for (JsonNode lead : sandbox("Lead")) {
            if (email.equals(lead.path("Marketing_Email__c").asText())) {
                return lead;
            }
        }
        return null;
    }

    static List<ConsumerRecord<String, byte[]>> deadLetters() {
        return Topics.readAll(bus.bootstrapServers(), DLQ);
    }

    @Test
    void subscribeBecomesALeadUpsertedByTheEmailsExternalId() throws Exception {
        assertThat(bus.postForm(WEBHOOK, Samples.text("mailchimp-subscribe.form")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> lead("lucia.martin@example.com") != null);
        JsonNode lead = lead("lucia.martin@example.com");
        assertThat(lead.get("Email").asText()).isEqualTo("lucia.martin@example.com");
        assertThat(lead.get("FirstName").asText()).isEqualTo("Lucia");
        assertThat(lead.get("LastName").asText()).isEqualTo("Martin");
        assertThat(lead.get("HasOptedOutOfEmail").asBoolean()).isFalse();
        assertThat(lead.get("Mailchimp_Status__c").asText()).isEqualTo("subscribed");
        assertThat(lead.get("Company").asText()).isEqualTo("[not provided]");
        assertThat(lead.get("LeadSource").asText()).isEqualTo("Mailchimp");
    }

    @Test
    void unsubscribeAndCleanedSetHasOptedOutOfEmailAndTheStatus() throws Exception {
        bus.postForm(WEBHOOK, subscribeFor("optout@example.com"));
        await().atMost(Duration.ofSeconds(30)).until(() -> lead("optout@example.com") != null);
        String unsubscribe = Samples.text("mailchimp-unsubscribe.form").replace("lucia.martin%40example.com", "optout%40example.com");
        assertThat(bus.postForm(WEBHOOK, unsubscribe).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> lead("optout@example.com").path("HasOptedOutOfEmail").asBoolean());
        assertThat(lead("optout@example.com").get("Mailchimp_Status__c").asText()).isEqualTo("unsubscribed");
        // the name stays as it was
        assertThat(lead("optout@example.com").get("LastName").asText()).isEqualTo("Martin");
    }

    @Test
    void duplicateExternalIdsAreDeadLetteredWithTheReasonAndTheRestIsDelivered() throws Exception {
        String token = token();
        for (int i = 0; i < 2; i++) {
            assertThat(create(token, "Lead", "{\"LastName\":\"Twin\",\"Company\":\"Acme\",\"Marketing_Email__c\":\"twin@example.com\"}")
                    .statusCode()).isEqualTo(201);
        }
        bus.postForm(WEBHOOK, subscribeFor("twin@example.com"));
        bus.postForm(WEBHOOK, subscribeFor("single@example.com"));

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().stream()
                .anyMatch(r -> Topics.value(r).contains("twin@example.com")));
        ConsumerRecord<String, byte[]> dead = deadLetters().stream()
                .filter(r -> Topics.value(r).contains("twin@example.com")).findFirst().orElseThrow();
        assertThat(Topics.header(dead, "bus-dlq-reason")).contains("DUPLICATE_EXTERNAL_ID");
        await().atMost(Duration.ofSeconds(30)).until(() -> lead("single@example.com") != null);
        assertThat(deadLetters()).noneMatch(r -> Topics.value(r).contains("single@example.com"));
    }

    @Test
    void aRecordSalesforceRefusesIsDeadLetteredAlone() throws Exception {
        // an unsubscribe of someone Salesforce has never seen: a new Lead without LastName, REQUIRED_FIELD_MISSING
        String unknown = Samples.text("mailchimp-unsubscribe.form").replace("lucia.martin%40example.com", "stranger%40example.com");
        bus.postForm(WEBHOOK, unknown);
        bus.postForm(WEBHOOK, subscribeFor("neighbour@example.com"));

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().stream()
                .anyMatch(r -> Topics.value(r).contains("stranger@example.com")));
        ConsumerRecord<String, byte[]> dead = deadLetters().stream()
                .filter(r -> Topics.value(r).contains("stranger@example.com")).findFirst().orElseThrow();
        assertThat(Topics.header(dead, "bus-dlq-reason")).contains("REQUIRED_FIELD_MISSING");
        await().atMost(Duration.ofSeconds(30)).until(() -> lead("neighbour@example.com") != null);
        assertThat(lead("stranger@example.com")).isNull();
    }

    @Test
    void anExpiredSessionMidRunIsRenewedByLoggingInAgainAndNothingIsLost() throws Exception {
        bus.postForm(WEBHOOK, subscribeFor("before-expiry@example.com"));
        await().atMost(Duration.ofSeconds(30)).until(() -> lead("before-expiry@example.com") != null);
        int issued = sandbox("tokens").get("issued").asInt();
        int refused = sandbox("tokens").get("expiredSessionsRefused").asInt();
        // the sandbox's sessions last 3 s here
        Thread.sleep(3_500);
        bus.postForm(WEBHOOK, subscribeFor("after-expiry@example.com"));

        await().atMost(Duration.ofSeconds(30)).until(() -> lead("after-expiry@example.com") != null);
        assertThat(sandbox("tokens").get("expiredSessionsRefused").asInt()).isGreaterThan(refused);
        assertThat(sandbox("tokens").get("issued").asInt()).isGreaterThan(issued);
        assertThat(deadLetters()).noneMatch(r -> Topics.value(r).contains("expiry@example.com"));
    }

    @Test
    void eventsWaitingTogetherGoOutInCollectionsOfAtMost200Records() throws Exception {
        bus.context().getRouteController().stopRoute("deliver-subscriptions-to-salesforce");
        int before = sandbox("calls").size();
        for (int i = 0; i < 250; i++) {
            assertThat(bus.postForm(WEBHOOK, subscribeFor("bulk" + i + "@example.com")).statusCode()).isEqualTo(200);
        }
        bus.context().getRouteController().startRoute("deliver-subscriptions-to-salesforce");

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            int found = 0;
            for (JsonNode lead : sandbox("Lead")) {
                found += lead.path("Marketing_Email__c").asText().startsWith("bulk") ? 1 : 0;
            }
            return found == 250;
        });
        JsonNode calls = sandbox("calls");
        int upserts = 0;
        int records = 0;
        for (int i = before; i < calls.size(); i++) {
            if (calls.get(i).path("call").asText().startsWith("upsert")) {
                upserts++;
                records += calls.get(i).get("records").asInt();
                assertThat(calls.get(i).get("records").asInt()).isLessThanOrEqualTo(200);
            }
        }
        assertThat(records).isEqualTo(250);
        // a poll took them together: at least one full collection, so two or three calls, not 250
        assertThat(upserts).isBetween(2, 10);
        assertThat(calls.toString()).contains("\"records\":200");
    }

    /** An access token from the sandbox's token endpoint, as a person or a setup script gets one. */
    static String token() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.url("/sandbox/salesforce/services/oauth2/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=sandbox-salesforce-client"
                        + "&client_secret=sandbox-salesforce-secret&refresh_token=sandbox-salesforce-refresh")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return MAPPER.readTree(response.body()).get("access_token").asText();
    }

    static HttpResponse<String> create(String token, String object, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.url("/sandbox/salesforce/services/data/v62.0/sobjects/" + object)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

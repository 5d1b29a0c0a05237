package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.event.ContactKey;
import io.marketingbus.ingress.FormFields;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 1 end to end: the real Main, the embedded broker, and a WireMock HubSpot that accepts only what the
 * HubSpot CRM v3 API documents (path, bearer token, JSON).
 */
class SubscriptionFlowTest {

    static final String SECRET = "s3cret-path-2f9a";
    static final String WEBHOOK = "/webhooks/mailchimp/" + SECRET;
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";

    @TempDir
    static Path dataDir;
    static FakePlatform hubspot;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        hubspot = FakePlatform.hubspot();
        bus = RunningBus.startWith(dataDir, Map.of(
                "hubspot.access-token", "pat-test-token", "hubspot.client-secret", "test-client-secret",
                "mailchimp.webhook-secret", SECRET), hubspot);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        FakePlatform.stopAll(hubspot);
    }

    @BeforeEach
    void hubspotAcceptsDocumentedUpserts() {
        hubspot.resetAll();
        hubspot.stubFor(post(urlEqualTo(UPSERT))
                .withHeader("Authorization", equalTo("Bearer pat-test-token"))
                .withHeader("Content-Type", containing("application/json"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
    }

    /** The shared subscribe sample for another person, so tests sharing the bus never see each other's calls. */
    static String subscribeFor(String email) {
        return Samples.text("mailchimp-subscribe.form").replace("lucia.martin%40example.com", email.replace("@", "%40"));
    }

    List<LoggedRequest> upsertsFor(String email) {
        return hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)).withRequestBody(containing("\"" + email + "\"")));
    }

    @Test
    void mailchimpsUrlValidatorGets200() throws Exception {
        assertThat(bus.get(WEBHOOK).statusCode()).isEqualTo(200);
    }

    @Test
    void subscribeWebhookBecomesTheDocumentedHubSpotUpsert() throws Exception {
        HttpResponse<String> response = bus.postForm(WEBHOOK, Samples.text("mailchimp-subscribe.form"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("status").asText()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsFor("lucia.martin@example.com").size() == 1);
        JsonNode expected = Samples.json("hubspot-contacts-batch-upsert-request.json").deepCopy();
        ((ObjectNode) expected.at("/inputs/0/properties")).put("mailchimp_status", "subscribed");
        hubspot.verify(1, postRequestedFor(urlEqualTo(UPSERT))
                .withHeader("Authorization", equalTo("Bearer pat-test-token"))
                .withRequestBody(equalToJson(expected.toString())));
    }

    @Test
    void theAnswerCarriesNoRequestDataBack() throws Exception {
        HttpResponse<String> response = bus.postForm(WEBHOOK, subscribeFor("echo@example.com"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.startsWith("data") || h.equals("secret")
                || h.equals("type") || h.startsWith("kafka"));
        assertThat(response.headers().map().toString()).doesNotContain(SECRET).doesNotContain("echo@example.com");
    }

    @Test
    void theSameWebhookTwiceIsTheSameEventAndAppliedOnce() throws Exception {
        String form = subscribeFor("twice@example.com");
        String first = mapper.readTree(bus.postForm(WEBHOOK, form).body()).get("id").asText();
        String second = mapper.readTree(bus.postForm(WEBHOOK, form).body()).get("id").asText();

        assertThat(second).isEqualTo(first);
        // a later event of the same contact (same key, same partition) is consumed after both copies
        bus.postForm(WEBHOOK, form.replace("09%3A31%3A07", "10%3A00%3A00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsFor("twice@example.com").size() >= 2);
        assertThat(upsertsFor("twice@example.com")).hasSize(2);
    }

    @Test
    void hubspotUnavailableTwiceThenUpIsDeliveredOnce() throws Exception {
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withRequestBody(containing("flaky@example.com"))
                .inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withRequestBody(containing("flaky@example.com"))
                .inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));

        assertThat(bus.postForm(WEBHOOK, subscribeFor("flaky@example.com")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsFor("flaky@example.com").size() == 3);
        // a later event for another contact arriving means the flaky one is settled: no fourth call, no dead letter
        bus.postForm(WEBHOOK, subscribeFor("after-flaky@example.com"));
        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsFor("after-flaky@example.com").size() == 1);
        assertThat(upsertsFor("flaky@example.com")).hasSize(3);
        assertThat(deadLettersFor("flaky@example.com")).isEmpty();
    }

    @Test
    void retryAfterFromHubSpotIsHonoured() throws Exception {
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withRequestBody(containing("throttled@example.com"))
                .inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withBody(Samples.text("hubspot-429-response.json")))
                .willSetStateTo("ok"));

        bus.postForm(WEBHOOK, subscribeFor("throttled@example.com"));

        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsFor("throttled@example.com").size() == 2);
        List<LoggedRequest> calls = upsertsFor("throttled@example.com");
        long gap = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(gap).as("ms between the 429 and the retry").isGreaterThanOrEqualTo(2000);
    }

    @Test
    void hubspotRejectionIsDeadLetteredWithTheReasonAndNotRetried() throws Exception {
        String rejection = "{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":\"VALIDATION_ERROR\"}";
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withRequestBody(containing("rejected@example.com"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(rejection)));

        String id = mapper.readTree(bus.postForm(WEBHOOK, subscribeFor("rejected@example.com")).body()).get("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersFor("rejected@example.com").size() == 1);
        ConsumerRecord<String, byte[]> dead = deadLettersFor("rejected@example.com").get(0);
        assertThat(mapper.readTree(dead.value()).get("id").asText()).isEqualTo(id);
        assertThat(Topics.header(dead, "content-type")).startsWith("application/cloudevents+json");
        assertThat(Topics.header(dead, "bus-dlq-reason")).contains("HTTP 400");
        assertThat(Topics.header(dead, "bus-dlq-http-status")).isEqualTo("400");
        assertThat(Topics.header(dead, "bus-dlq-response-body")).isEqualTo(rejection);
        assertThat(Topics.header(dead, "bus-dlq-attempts")).isEqualTo("1");
        assertThat(Topics.header(dead, "bus-dlq-destination")).isEqualTo("hubspot");
        assertThat(Topics.header(dead, "bus-dlq-route")).isEqualTo("deliver-subscriptions-to-hubspot");
        assertThat(Topics.header(dead, "bus-dlq-source-topic")).isEqualTo("marketing.subscriptions");
        assertThat(Topics.header(dead, "bus-dlq-first-failure-at")).isNotBlank();
        assertThat(upsertsFor("rejected@example.com")).hasSize(1);
    }

    @Test
    void malformedFormIs400AndKeptInTheIngressDeadLetterTopic() throws Exception {
        String malformed = subscribeFor("malformed@example.com").replace("fired_at=2026-01-15+09%3A31%3A07", "fired_at=yesterday");

        HttpResponse<String> response = bus.postForm(WEBHOOK, malformed);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).get("error").asText()).contains("fired_at");
        await().atMost(Duration.ofSeconds(15)).until(() -> ingressDeadLettersContaining("malformed%40example.com").size() == 1);
        ConsumerRecord<String, byte[]> dead = ingressDeadLettersContaining("malformed%40example.com").get(0);
        // platform-http hands form posts over as fields, so the kept copy is the same fields re-encoded
        assertThat(FormFields.decode(Topics.value(dead))).isEqualTo(FormFields.decode(malformed));
        assertThat(Topics.header(dead, "bus-dlq-reason")).contains("fired_at");
        assertThat(Topics.header(dead, "bus-dlq-platform")).isEqualTo("mailchimp");
        assertThat(Topics.header(dead, "bus-dlq-http-status")).isEqualTo("400");
        assertThat(dead.headers().toString()).doesNotContain(SECRET);
    }

    @Test
    void aBodyThatIsNotAFormIs415AndKept() throws Exception {
        HttpResponse<String> response = bus.post(WEBHOOK, "application/json", "{\"email\":\"json@example.com\"}");

        assertThat(response.statusCode()).isEqualTo(415);
        await().atMost(Duration.ofSeconds(15)).until(() -> ingressDeadLettersContaining("json@example.com").size() == 1);
    }

    @Test
    void wrongSecretIs401AndNothingIsStored() throws Exception {
        HttpResponse<String> response = bus.postForm("/webhooks/mailchimp/guess", subscribeFor("intruder@example.com"));
        bus.postForm(WEBHOOK, "type=subscribe&marker=after-intruder");

        assertThat(response.statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(15)).until(() -> ingressDeadLettersContaining("after-intruder").size() == 1);
        assertThat(ingressDeadLettersContaining("intruder%40example.com")).isEmpty();
        assertThat(upsertsFor("intruder@example.com")).isEmpty();
    }

    @Test
    void campaignWebhooksAreAcknowledgedButNotForwarded() throws Exception {
        String campaign = "type=campaign&fired_at=2026-01-15+09%3A31%3A07&data%5Bid%5D=5aa2102003&data%5Bsubject%5D=News"
                + "&data%5Bstatus%5D=sent&data%5Breason%5D=&data%5Blist_id%5D=a6b5da1054";

        HttpResponse<String> response = bus.postForm(WEBHOOK, campaign);
        bus.postForm(WEBHOOK, subscribeFor("after-campaign@example.com"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("status").asText()).isEqualTo("ignored");
        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsFor("after-campaign@example.com").size() == 1);
        assertThat(hubspot.getAllServeEvents()).hasSize(1);
    }

    @Test
    void emailChangePatchesTheContactFoundByItsOldAddress() throws Exception {
        String path = "/crm/v3/objects/contacts/lucia.martin%40example.com";
        hubspot.stubFor(patch(urlPathEqualTo(path)).withQueryParam("idProperty", equalTo("email"))
                .withHeader("Authorization", equalTo("Bearer pat-test-token"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"51\",\"properties\":{\"email\":\"lucia.ruiz@example.com\"}}")));

        assertThat(bus.postForm(WEBHOOK, Samples.text("mailchimp-upemail.form")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> hubspot.verify(1, patchRequestedFor(urlPathEqualTo(path))
                .withRequestBody(equalToJson("{\"properties\":{\"email\":\"lucia.ruiz@example.com\"}}"))));
    }

    List<ConsumerRecord<String, byte[]>> deadLettersFor(String email) {
        return Topics.readAll(bus.bootstrapServers(), DLQ).stream()
                .filter(r -> ContactKey.of(email).equals(r.key())).toList();
    }

    List<ConsumerRecord<String, byte[]>> ingressDeadLettersContaining(String text) {
        return Topics.readAll(bus.bootstrapServers(), "marketing.ingress.dlq").stream()
                .filter(r -> Topics.value(r).contains(text)).toList();
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched delivery end to end (flow 1): events waiting on the topic reach a strict WireMock HubSpot as batch
 * upserts of at most 100 inputs, each contact's events in order; HubSpot refusing one input of a batch sends only
 * that event to the dead-letter topic while the rest of its batch is delivered, a record that is no canonical
 * event is dead-lettered with the reason without holding up the others, and the offsets move on.
 */
class BatchDeliveryTest {

    static final String SECRET = "batch-secret-77";
    static final String WEBHOOK = "/webhooks/mailchimp/" + SECRET;
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";
    static final int EVENTS = 240;

    @TempDir
    static Path dataDir;
    static FakePlatform hubspot;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        hubspot = FakePlatform.hubspot();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).atPriority(5)
                .withHeader("Authorization", equalTo("Bearer pat-batch"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        // as HubSpot: one invalid input fails the whole batch call with a 400
        hubspot.stubFor(post(urlEqualTo(UPSERT)).atPriority(1)
                .withRequestBody(containing("\"refused-"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\","
                                + "\"category\":\"VALIDATION_ERROR\"}")));
        bus = RunningBus.startWith(dataDir, Map.of(
                "hubspot.access-token", "pat-batch", "hubspot.client-secret", "test-client-secret",
                "mailchimp.webhook-secret", SECRET,
                "hubspot.requests-per-second", "1000",
                // events pile up on the topic until the test starts the consumer
                "hubspot.subscriptions.enabled", "false"), hubspot);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        FakePlatform.stopAll(hubspot);
    }

    static String form(String type, String email, String firstName, int second) {
        return Samples.text("mailchimp-" + type + ".form").replace("lucia.martin%40example.com", email.replace("@", "%40"))
                .replace("FNAME%5D=Lucia", "FNAME%5D=" + firstName)
                .replaceFirst("fired_at=([0-9-]+)\\+([0-9]+)%3A([0-9]+)%3A[0-9]+", "fired_at=$1+$2%3A$3%3A" + (10 + second));
    }

    @Test
    void waitingEventsGoOutInBatchesAndOnlyTheRefusedOnesAreDeadLettered() throws Exception {
        List<String> refused = List.of("refused-1@example.com", "refused-2@example.com");
        for (int i = 0; i < EVENTS; i++) {
            String email = i == 50 ? refused.get(0) : i == 170 ? refused.get(1) : "batch" + i + "@example.com";
            assertThat(bus.postForm(WEBHOOK, form("subscribe", email, "First", 0)).statusCode()).isEqualTo(200);
        }
        // the same person twice more: their three events must reach HubSpot in the order they happened
        assertThat(bus.postForm(WEBHOOK, form("profile", "batch7@example.com", "Second", 1)).statusCode()).isEqualTo(200);
        assertThat(bus.postForm(WEBHOOK, form("profile", "batch7@example.com", "Third", 2)).statusCode()).isEqualTo(200);

        // a record no bus ingress would write, in the middle of the backlog
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                bus.bootstrapServers(), "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("marketing.subscriptions", "poison", "{\"not\":\"a cloud event\"}")).get();
        }
        for (int i = EVENTS; i < EVENTS + 10; i++) {
            assertThat(bus.postForm(WEBHOOK, form("subscribe", "batch" + i + "@example.com", "First", 0)).statusCode())
                    .isEqualTo(200);
        }

        bus.context().getRouteController().startRoute("deliver-subscriptions-to-hubspot");

        await().atMost(Duration.ofSeconds(60)).until(() -> Topics.readAll(bus.bootstrapServers(), DLQ).size() >= 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> applied().size() == EVENTS + 10 - refused.size());

        List<LoggedRequest> calls = hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)));
        List<Integer> sizes = new ArrayList<>();
        for (LoggedRequest call : calls) {
            sizes.add(mapper.readTree(call.getBodyAsString()).get("inputs").size());
        }
        assertThat(sizes).allMatch(size -> size <= 100);
        // 252 events in a few batch calls (plus the halving that found the two refused inputs), not 252 calls
        assertThat(calls.size()).isLessThan(40);
        assertThat(applied()).doesNotContainAnyElementsOf(refused);

        List<ConsumerRecord<String, byte[]>> dead = Topics.readAll(bus.bootstrapServers(), DLQ);
        assertThat(dead).hasSize(3);
        ConsumerRecord<String, byte[]> poison = dead.stream().filter(r -> "poison".equals(r.key())).findFirst().orElseThrow();
        assertThat(Topics.value(poison)).isEqualTo("{\"not\":\"a cloud event\"}");
        assertThat(Topics.header(poison, "bus-dlq-reason")).contains("canonical event schema");
        assertThat(Topics.header(poison, "bus-dlq-exception")).endsWith("InvalidEventException");
        Set<String> deadEmails = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> record : dead) {
            if (record == poison) {
                continue;
            }
            deadEmails.add(mapper.readTree(record.value()).at("/data/contact/email").asText());
            assertThat(Topics.header(record, "bus-dlq-http-status")).isEqualTo("400");
            assertThat(Topics.header(record, "bus-dlq-route")).isEqualTo("deliver-subscriptions-to-hubspot");
        }
        assertThat(deadEmails).containsExactlyElementsOf(refused);
        assertThat(firstNamesSentFor("batch7@example.com")).containsExactly("First", "Second", "Third");
    }

    /** Contacts HubSpot accepted (in a call answered 200). */
    Set<String> applied() throws Exception {
        Set<String> emails = new TreeSet<>();
        for (LoggedRequest call : hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)))) {
            JsonNode body = mapper.readTree(call.getBodyAsString());
            if (call.getBodyAsString().contains("\"refused-")) {
                continue;
            }
            body.get("inputs").forEach(input -> emails.add(input.get("id").asText()));
        }
        return emails;
    }

    /** The first names HubSpot accepted for the contact, in the order the calls reached it. */
    List<String> firstNamesSentFor(String email) throws Exception {
        List<String> names = new ArrayList<>();
        for (LoggedRequest call : hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)))) {
            if (call.getBodyAsString().contains("\"refused-")) {
                continue;
            }
            for (JsonNode input : mapper.readTree(call.getBodyAsString()).get("inputs")) {
                if (email.equals(input.get("id").asText())) {
                    names.add(input.at("/properties/firstname").asText());
                }
            }
        }
        return names;
    }
}

package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.ContactKey;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixpanel end to end against its strict sandbox: hits, purchases and profiles delivered gzipped with Mixpanel's
 * shapes, through two 429s; a strict-mode 400 dead-letters only the refused hit; a call retried after its answer was
 * lost, dead-lettered and replayed is counted once, by {@code $insert_id}.
 */
class MixpanelFlowTest {

    static final String HITS = "marketing.analytics-hits";
    static final String HITS_DLQ = "marketing.analytics-hits.mixpanel.dlq";
    static final String CONVERSIONS_DLQ = "marketing.conversions.mixpanel.dlq";
    static final String PROFILES_DLQ = "marketing.subscriptions.mixpanel.dlq";
    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dataDir;

    JsonNode sandbox(RunningBus bus, String collection) throws Exception {
        return mapper.readTree(bus.get("/sandbox/mixpanel/" + collection).body());
    }

    static String hit(String clientId, Instant time, String eventName) {
        return "{\"client_id\":\"" + clientId + "\",\"timestamp_micros\":\"" + time.toEpochMilli() * 1000
                + "\",\"events\":[{\"name\":\"" + eventName + "\",\"params\":{\"page_location\":\"https://shop.example.com/\","
                + "\"engagement_time_msec\":100}}]}";
    }

    static int collect(RunningBus bus, String hit) throws Exception {
        return bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json", hit).statusCode();
    }

    @Test
    void hitsPurchasesAndProfilesReachMixpanelGzippedInItsShapesThroughTwoRateLimitedAnswers() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("mixpanel.analytics.enabled", "true",
                "mixpanel.conversions.enabled", "true", "mixpanel.profiles.enabled", "true",
                "delivery.retry.initial-delay-ms", "200"))) {
            // Mixpanel documents no Retry-After: the bus's own backoff paces the two 429s
            assertThat(bus.post("/sandbox/faults/mixpanel", "application/json", "{\"status\":429,\"times\":2}")
                    .statusCode()).isEqualTo(200);
            bus.post("/sandbox/hubspot/crm/v3/objects/contacts/batch/upsert", "application/json",
                    "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"lucia.martin@example.com\",\"properties\":{"
                            + "\"email\":\"lucia.martin@example.com\",\"firstname\":\"Lucia\",\"lastname\":\"Martin\"}}]}",
                    Map.of("Authorization", "Bearer sandbox-hubspot"));
            ObjectNode purchaseHit = (ObjectNode) Samples.json("ga4-purchase.json").deepCopy();
            purchaseHit.remove("timestamp_micros");
            purchaseHit.withArray("events").insertObject(0).put("name", "begin_checkout").putObject("params")
                    .put("currency", "EUR").put("value", 129.9);

            assertThat(collect(bus, purchaseHit.toString())).isEqualTo(204);
            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(60)).until(() -> sandbox(bus, "events").size() == 2
                    && sandbox(bus, "profiles").size() == 1);
            JsonNode events = sandbox(bus, "events");
            JsonNode checkout = events.get(0).get("event").asText().equals("begin_checkout") ? events.get(0) : events.get(1);
            JsonNode purchase = events.get(0) == checkout ? events.get(1) : events.get(0);
            assertThat(checkout.at("/properties/distinct_id").asText()).isEqualTo("hs-contact-51");
            assertThat(checkout.at("/properties/value").asDouble()).isEqualTo(129.9);
            assertThat(purchase.get("event").asText()).isEqualTo("Purchase");
            assertThat(purchase.at("/properties/$insert_id").asText()).isEqualTo("order-T-100234");
            assertThat(purchase.at("/properties/distinct_id").asText()).isEqualTo("hs-contact-51");
            assertThat(purchase.at("/properties/revenue").asDouble()).isEqualTo(129.9);
            assertThat(purchase.at("/properties/currency").asText()).isEqualTo("EUR");
            JsonNode profile = sandbox(bus, "profiles").get(0);
            assertThat(profile.get("$distinct_id").asText()).isEqualTo(ContactKey.of("lucia.martin@example.com"));
            assertThat(profile.at("/$properties/email_status").asText()).isEqualTo("subscribed");
            assertThat(events.toString() + profile).doesNotContain("lucia.martin");

            JsonNode counts = sandbox(bus, "counts");
            assertThat(counts.get("imports").asInt()).isEqualTo(2);
            assertThat(counts.get("gzipped").asInt()).isEqualTo(2);
            assertThat(counts.get("engages").asInt()).isEqualTo(1);
            assertThat(mapper.readTree(bus.get("/sandbox/faults/mixpanel").body()).get("times").asInt()).isZero();
            for (String dlq : List.of(HITS_DLQ, CONVERSIONS_DLQ, PROFILES_DLQ)) {
                assertThat(Topics.readAll(bus.bootstrapServers(), dlq)).as(dlq).isEmpty();
            }
        }
    }

    @Test
    void aStrictModeRefusalDeadLettersOnlyTheRefusedHitAndTheOthersOfTheCallAreDelivered() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("mixpanel.analytics.enabled", "false",
                "ga4.forward.enabled", "false"))) {
            Instant now = Instant.now();
            assertThat(collect(bus, hit("111.1", now.minusSeconds(60), "page_view"))).isEqualTo(204);
            assertThat(collect(bus, hit("333.3", now.minusSeconds(30), "view_item"))).isEqualTo(204);
            // the relay refuses a hit over 60 s ahead, but another producer of the topic (a skewed clock) may not:
            // a copy of the first hit, two hours ahead, which Mixpanel refuses (more than an hour in the future)
            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), HITS).size() == 2);
            ConsumerRecord<String, byte[]> first = Topics.readAll(bus.bootstrapServers(), HITS).get(0);
            ObjectNode ahead = (ObjectNode) mapper.readTree(first.value());
            ahead.put("id", "ga4-hit-two-hours-ahead");
            ((ObjectNode) ahead.at("/data/hit")).put("client_id", "222.2")
                    .put("timestamp_micros", String.valueOf(now.plus(Duration.ofHours(2)).toEpochMilli() * 1000));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    bus.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(HITS, "client-222", mapper.writeValueAsBytes(ahead))).get();
            }

            // the three hits wait on the topic and go as one batch, in one call
            bus.context().getRouteController().startRoute("deliver-analytics-hits-to-mixpanel");

            await().atMost(Duration.ofSeconds(60)).until(() -> !Topics.readAll(bus.bootstrapServers(), HITS_DLQ).isEmpty());
            List<ConsumerRecord<String, byte[]>> dead = Topics.readAll(bus.bootstrapServers(), HITS_DLQ);
            assertThat(dead).hasSize(1);
            assertThat(Topics.header(dead.get(0), "bus-dlq-reason")).contains("Mixpanel refused")
                    .contains("properties.time").contains("more than 1 hour in the future");
            assertThat(Topics.value(dead.get(0))).contains("ga4-hit-two-hours-ahead");
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox(bus, "events").size() == 2);
            JsonNode counts = sandbox(bus, "counts");
            assertThat(counts.get("imports").asInt()).as("calls").isEqualTo(1);
            assertThat(counts.get("failed").asInt()).isEqualTo(1);
            List<String> names = new ArrayList<>();
            sandbox(bus, "events").forEach(e -> names.add(e.get("event").asText()));
            assertThat(names).containsExactlyInAnyOrder("page_view", "view_item");
        }
    }

    @Test
    void hitsDeadLetteredAfterLostAnswersAndThenReplayedAreCountedOnceByInsertId() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("mixpanel.analytics.enabled", "true",
                "ga4.forward.enabled", "false", "camel.component.http.response-timeout", "1000",
                "delivery.retry.initial-delay-ms", "200", "delivery.retry.max-attempts", "2",
                "bus.admin-token", "ops-token"))) {
            // Mixpanel takes the events but answers after the bus stopped waiting: retried, then dead-lettered
            assertThat(bus.post("/sandbox/faults/mixpanel", "application/json", "{\"delayMs\":1500}").statusCode())
                    .isEqualTo(200);
            Instant now = Instant.now();
            assertThat(collect(bus, hit("444.4", now.minusSeconds(60), "page_view"))).isEqualTo(204);
            assertThat(collect(bus, hit("555.5", now.minusSeconds(50), "view_item"))).isEqualTo(204);
            await().atMost(Duration.ofSeconds(60)).until(() -> Topics.readAll(bus.bootstrapServers(), HITS_DLQ).size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> sandbox(bus, "events").size() == 2);
            int sentBeforeReplay = sandbox(bus, "counts").get("imported").asInt();

            // the operator replays the dead letters once Mixpanel answers in time: translated again, sent again
            HttpClient http = HttpClient.newHttpClient();
            http.send(HttpRequest.newBuilder(URI.create(bus.url("/sandbox/faults/mixpanel"))).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(bus.managementUrl(
                    "/admin/replay?dlq=" + HITS_DLQ + "&since=2020-01-01T00:00:00Z")))
                    .header("Authorization", "Bearer ops-token").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(mapper.readTree(replay.body()).get("replayed").asInt()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(60)).until(() -> Topics.deliveredIds(bus.bootstrapServers(),
                    "marketing.analytics-hits.mixpanel.delivered").size() == 2);

            JsonNode counts = sandbox(bus, "counts");
            assertThat(sentBeforeReplay).as("events sent before the replay").isGreaterThanOrEqualTo(4);
            assertThat(counts.get("imported").asInt()).as("events sent in all").isGreaterThanOrEqualTo(sentBeforeReplay + 2);
            assertThat(counts.get("duplicates").asInt()).isEqualTo(counts.get("imported").asInt() - 2);
            assertThat(counts.get("events").asInt()).as("events counted").isEqualTo(2);
        }
    }
}

package io.marketingbus.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.platform.hubspot.HubSpotSignatureVerifier;
import io.marketingbus.support.CapturedLog;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and implausible input at the webhook port (issue 11): every request gets a JSON 4xx that is counted, the
 * refused ones are kept in marketing.ingress.dlq with their reason, and nothing personal or raw reaches the log.
 */
class IngressHardeningTest {

    static final String MAILCHIMP = "/webhooks/mailchimp/sandbox";
    static final String DLQ = "marketing.ingress.dlq";

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        // the shipped window, not the wide one test buses get for the vendors' January 2026 samples
        bus = RunningBus.start(dataDir, Map.of("ingress.event-time.max-age-ms", "259200000"));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void aFormBodyWithAnInvalidPercentEscapeIsACountedJson400AndTheLogStaysClean() throws Exception {
        for (String path : List.of(MAILCHIMP, "/webhooks/mailchimp/wrong-secret", "/webhooks/hubspot", "/mp/collect",
                "/sandbox/faults/hubspot")) {
            try (CapturedLog log = new CapturedLog()) {
                double before = ingressRequests("400");
                HttpResponse<String> response = bus.postForm(path,
                        "type=subscribe&data%5Bemail%5D=lucia.martin%40example.com&x=%zz&y=line%0Abreak%1B%5B31m");
                assertThat(response.statusCode()).as(path).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                assertThat(mapper.readTree(response.body()).path("error").asText()).as(path).contains("percent");
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(ingressRequests("400")).as(path).isEqualTo(before + 1));
                String text = log.text();
                assertThat(text).as(path).doesNotContain("lucia.martin@example.com").doesNotContain("Unhandled exception")
                        .doesNotContain("\tat ").doesNotContain("\u001b");
                assertThat(text.lines().filter(l -> l.contains("percent")).count()).as(path + ": logged once").isEqualTo(1);
            }
        }
    }

    static String firedAt(ZonedDateTime time) {
        return time.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    static String subscribe(String email, String firedAt) {
        return "type=subscribe&fired_at=" + URLEncoder.encode(firedAt, StandardCharsets.UTF_8) + "&data%5Bemail%5D="
                + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&data%5Blist_id%5D=a6b5da1054";
    }

    @Test
    void aMailchimpWebhookOutsideThePlausibleTimeWindowIsRefusedNamingFieldAndWindow() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        for (String firedAt : List.of("2400-01-01 00:00:00", firedAt(now.minusDays(4)), firedAt(now.plusHours(15)),
                "0001-01-01 00:00:00")) {
            HttpResponse<String> response = bus.postForm(MAILCHIMP, subscribe("window@example.com", firedAt));
            assertThat(response.statusCode()).as(firedAt).isEqualTo(400);
            assertThat(json(response.body()).path("error").asText()).as(firedAt).contains("fired_at " + firedAt)
                    .contains("72 h old").contains("14 h ahead");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deadLetters()).anySatisfy(record ->
                    assertThat(Topics.header(record, "bus-dlq-reason")).contains("fired_at " + firedAt)));
        }
        // a clock (or a zone) some hours off, and a retry from the last days, are still events
        for (String firedAt : List.of(firedAt(now), firedAt(now.minusHours(70)), firedAt(now.plusHours(10)))) {
            assertThat(bus.postForm(MAILCHIMP, subscribe("window@example.com", firedAt)).statusCode()).as(firedAt).isEqualTo(200);
        }
    }

    HttpResponse<String> hubspot(String body) throws Exception {
        HubSpotSignatureVerifier signer = new HubSpotSignatureVerifier("sandbox", Clock.systemUTC());
        String ts = String.valueOf(System.currentTimeMillis());
        String url = bus.context().resolvePropertyPlaceholders("{{hubspot.webhook-url}}");
        return bus.post("/webhooks/hubspot", "application/json", body, Map.of("X-HubSpot-Request-Timestamp", ts,
                "X-HubSpot-Signature-v3", signer.sign("POST", url, body.getBytes(StandardCharsets.UTF_8), ts)));
    }

    @Test
    void aHubSpotElementOutsideTheTimeWindowIsRefusedAloneWhileItsSiblingIsAccepted() throws Exception {
        long now = System.currentTimeMillis();
        String good = "{\"eventId\":1,\"portalId\":62515,\"occurredAt\":" + now
                + ",\"subscriptionType\":\"deal.creation\",\"objectId\":7001}";
        String future = "{\"eventId\":2,\"portalId\":62515,\"occurredAt\":32503680000000"
                + ",\"subscriptionType\":\"deal.creation\",\"objectId\":7002}";
        HttpResponse<String> response = hubspot("[" + good + "," + future + "]");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode answer = json(response.body());
        assertThat(answer.path("accepted").asInt()).isEqualTo(1);
        assertThat(answer.path("rejected").get(0).asText()).contains("occurredAt 32503680000000").contains("window");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(deadLetters()).anySatisfy(record -> {
                assertThat(Topics.header(record, "bus-dlq-reason")).contains("occurredAt 32503680000000");
                assertThat(Topics.value(record)).contains("7002");
            });
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.deal-changes")).anySatisfy(record ->
                    assertThat(Topics.value(record)).contains("hs-deal-7001-created-" + now));
        });
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.deal-changes"))
                .noneSatisfy(record -> assertThat(Topics.value(record)).contains("hs-deal-7002"));
    }

    @Test
    void aMalformedBodyJustUnderTheSizeLimitIsA4xxAndItsDeadLetterFitsOnTheBus() throws Exception {
        // HubSpot: signed, one byte short of valid JSON, just under camel.server.max-body-size
        String hubspot = "[{\"a\":\"" + "x".repeat(1_048_500) + "\"}";
        HttpResponse<String> response = hubspot(hubspot);
        assertThat(response.statusCode()).isBetween(400, 499);
        // Mailchimp: one field of raw UTF-8 (the form decoder refuses it before the route: a JSON 400 all the same)
        String mailchimp = "type=subscribe&x=" + "\u00e9".repeat(500_000);
        assertThat(mailchimp.getBytes(StandardCharsets.UTF_8).length).isLessThan(1_048_576);
        response = bus.postForm(MAILCHIMP, mailchimp);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").asText()).contains("cannot be read");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> truncated = deadLetters().stream()
                    .filter(record -> Topics.header(record, "bus-dlq-truncated") != null).toList();
            assertThat(truncated).anySatisfy(record -> assertThat(Topics.header(record, "bus-dlq-platform")).isEqualTo("hubspot"));
            assertThat(truncated).allSatisfy(record -> assertThat(record.value().length).isLessThan(IngressExchange.MAX_RECORD_BYTES));
        });
    }

    /** The sum of marketing_bus_ingress_requests over every platform and outcome with this status. */
    double ingressRequests(String status) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(bus.managementUrl("/observe/metrics"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("marketing_bus_ingress_requests") && l.contains("status=\"" + status + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    List<ConsumerRecord<String, byte[]>> deadLetters() {
        return Topics.readAll(bus.bootstrapServers(), DLQ);
    }

    JsonNode json(String body) throws Exception {
        return mapper.readTree(body);
    }
}

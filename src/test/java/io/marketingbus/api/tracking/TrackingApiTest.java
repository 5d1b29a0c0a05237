package io.marketingbus.api.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.Conversion;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking API end to end: the real Main, the embedded broker, the HubSpot sandbox; calls shaped as
 * {@code @segment/analytics-node} 3.1 (POST /v1/batch, Basic auth and writeKey, {batch, writeKey, sentAt}),
 * analytics.js (text/plain, writeKey in the body, the short paths) and analytics-python (gzip) send them. Each test
 * uses a write key of its own, so the per-key rate limit (burst 5) of one test does not touch another.
 */
class TrackingApiTest {

    static final String HITS = "marketing.analytics-hits";
    static final String DLQ = "marketing.ingress.dlq";
    static final String ALLOWED_ORIGIN = "https://shop.example.com";
    static final List<String> SOURCES = List.of("web", "browser", "next", "wrong", "limits", "gzip", "dedup", "skew", "partial",
            "limited", "cors", "identify", "orders", "strict", "flagged", "open", "window");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path planDir;
    static RunningBus bus;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(planDir.resolve("Order Completed.json"), """
                {"type": "object", "required": ["properties"], "properties": {"properties": {"type": "object",
                 "required": ["order_id", "revenue"], "properties": {"revenue": {"type": "number"}}}}}""");
        StringBuilder keys = new StringBuilder();
        for (String source : SOURCES) {
            keys.append(keys.isEmpty() ? "" : ",").append(source).append('=').append(key(source));
        }
        bus = RunningBus.start(dataDir, Map.of(
                "tracking.write-keys", keys.toString(),
                "tracking.rate-limit.per-second", "1",
                "tracking.rate-limit.burst", "5",
                "tracking.cors.allowed-origins", ALLOWED_ORIGIN,
                "tracking.plan.dir", planDir.toString(),
                "tracking.plan.modes", "strict=block,flagged=flag,open=allow",
                "hubspot.access-token", "sandbox-hubspot"));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static String key(String source) {
        return "wk-" + source + "-0123456789abcdef";
    }

    static String basic(String source) {
        return "Basic " + Base64.getEncoder().encodeToString((key(source) + ":").getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(String path, String contentType, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.url(path))).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As analytics-node sends: POST /v1/batch, Basic auth, {batch, writeKey, sentAt}. */
    static HttpResponse<String> batch(String source, List<ObjectNode> events) throws Exception {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        events.forEach(batch::add);
        body.put("writeKey", key(source));
        body.put("sentAt", Instant.now().toString());
        return send("/v1/batch", "application/json", body.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic(source), "User-Agent", "analytics-node-next/latest"));
    }

    static ObjectNode track(String event, String userId) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("type", "track");
        message.put("event", event);
        message.put("userId", userId);
        message.putObject("properties").put("plan", "premium");
        message.put("messageId", "node-next-" + System.currentTimeMillis() + "-" + UUID.randomUUID());
        message.put("timestamp", Instant.now().toString());
        message.putObject("context").putObject("library").put("name", "@segment/analytics-node").put("version", "3.1.0");
        return message;
    }

    static List<JsonNode> events(String topic, String source) {
        return Topics.readAll(bus.bootstrapServers(), topic).stream().map(r -> read(r.value()))
                .filter(e -> ("/tracking/" + source).equals(e.path("source").asText())).toList();
    }

    static List<ConsumerRecord<String, byte[]>> deadLetters(String source) {
        return Topics.readAll(bus.bootstrapServers(), DLQ).stream()
                .filter(r -> ("/tracking/" + source).equals(Topics.header(r, "bus-dlq-source"))).toList();
    }

    static java.util.stream.Stream<JsonNode> notes(byte[] value) {
        try {
            return io.marketingbus.ops.DeliveryRecords.notesIn(value, new ObjectMapper()).stream();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (Exception e) {
            return MAPPER.createObjectNode();
        }
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    @Test
    void anAnalyticsNodeBatchIsAcceptedOnceKafkaHasIt() throws Exception {
        HttpResponse<String> response = batch("web", List.of(track("Video Played", "user-1"), track("Signed Up", "user-1")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(MAPPER.readTree("{\"success\":true}"));
        List<JsonNode> hits = events(HITS, "web");
        assertThat(hits).extracting(e -> e.at("/data/hit/events/0/name").asText()).containsExactlyInAnyOrder("video_played", "sign_up");
        assertThat(response.body()).doesNotContain(key("web"));
        assertThat(hits.toString()).doesNotContain(key("web"));
        List<ConsumerRecord<String, byte[]>> records = Topics.readAll(bus.bootstrapServers(), HITS).stream()
                .filter(r -> Topics.value(r).contains("/tracking/web")).toList();
        assertThat(records).allSatisfy(r -> {
            assertThat(Topics.header(r, "content-type")).startsWith("application/cloudevents+json");
            assertThat(Topics.header(r, "bus-accepted-at")).isNotNull();
            assertThat(r.key()).isEqualTo(io.marketingbus.event.Identifiers.sha256Hex("user-1"));
        });
    }

    @Test
    void theBrowserLibrarySendsTextPlainWithTheKeyInTheBodyOnTheShortPath() throws Exception {
        ObjectNode page = TrackingSamples.json("segment-page.json");
        page.put("writeKey", key("browser"));
        page.put("timestamp", Instant.now().toString());
        page.put("sentAt", Instant.now().toString());
        HttpResponse<String> response = send("/v1/p", "text/plain", page.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Origin", ALLOWED_ORIGIN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(response.headers().firstValue("Vary")).hasValue("Origin");
        assertThat(events(HITS, "browser")).singleElement()
                .satisfies(e -> assertThat(e.at("/data/hit/events/0/name").asText()).isEqualTo("page_view"));
        // dev on the sandbox: tracked hits are forwarded to the sandbox's GA4 stream
        String clientId = page.get("anonymousId").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bus.get("/sandbox/ga4/hits").body()).contains("\"client_id\":\"" + clientId + "\""));
    }

    /** analytics.js loaded with cdnURL = the bus: its settings aim its Segment.io destination back at the bus. */
    @Test
    void theBrowserLibrarysSettingsAimItAtTheBus() throws Exception {
        HttpResponse<String> settings = HTTP.send(HttpRequest.newBuilder(URI.create(bus.url("/v1/projects/" + key("browser")
                + "/settings"))).header("Origin", ALLOWED_ORIGIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
        assertThat(settings.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        JsonNode segment = json(settings).at("/integrations/Segment.io");
        assertThat(segment.get("apiKey").asText()).isEqualTo(key("browser"));
        assertThat(segment.get("apiHost").asText()).isEqualTo(URI.create(bus.url("/")).getAuthority() + "/v1");
        assertThat(segment.get("protocol").asText()).isEqualTo("http");

        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(bus.url("/v1/projects/not-a-key/settings")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).doesNotContain(key("browser"));
    }

    /** analytics-next 1.84 in batching mode: POST {apiHost}/b, text/plain, Basic auth and writeKey, one sentAt. */
    @Test
    void theBrowserLibrarysBatchingModeIsAccepted() throws Exception {
        ObjectNode page = TrackingSamples.json("segment-page.json");
        page.remove("sentAt");
        page.remove("writeKey");
        page.put("timestamp", Instant.now().toString());
        ObjectNode track = TrackingSamples.json("segment-track-product-viewed.json");
        track.put("timestamp", Instant.now().toString());
        ObjectNode body = MAPPER.createObjectNode();
        body.put("writeKey", key("next"));
        body.putArray("batch").add(page).add(track).add(page.deepCopy());
        body.put("sentAt", Instant.now().toString());
        HttpResponse<String> response = send("/v1/b", "text/plain", body.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("next"), "Origin", ALLOWED_ORIGIN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        // the page twice in one batch (same messageId) is one event
        assertThat(events(HITS, "next")).extracting(e -> e.at("/data/hit/events/0/name").asText())
                .containsExactlyInAnyOrder("page_view", "view_item");
    }

    @Test
    void anUnknownOrMissingWriteKeyIs401() throws Exception {
        ObjectNode call = track("Video Played", "user-2");
        HttpResponse<String> wrongBasic = send("/v1/track", "application/json", call.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("not-a-key:".getBytes(StandardCharsets.UTF_8))));
        call.put("writeKey", "not-a-key-either");
        HttpResponse<String> wrongBody = send("/v1/track", "application/json", call.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        call.remove("writeKey");
        HttpResponse<String> none = send("/v1/track", "application/json", call.toString().getBytes(StandardCharsets.UTF_8), Map.of());

        for (HttpResponse<String> response : List.of(wrongBasic, wrongBody, none)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).get("success").asBoolean()).isFalse();
            assertThat(json(response).get("error").asText()).containsIgnoringCase("write key");
            // what Segment's libraries print of an error answer
            assertThat(json(response).get("code").asText()).isEqualTo("unauthorized");
            assertThat(json(response).get("message").asText()).containsIgnoringCase("write key");
        }
        assertThat(wrongBody.body()).doesNotContain("not-a-key-either");
    }

    @Test
    void segmentsLimitsAreEnforcedAndNamed() throws Exception {
        ObjectNode big = track("Big Event", "user-3");
        big.with("properties").put("blob", "x".repeat(33 * 1024));
        HttpResponse<String> event = send("/v1/track", "application/json", big.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("limits")));
        assertThat(event.statusCode()).isEqualTo(400);
        assertThat(json(event).get("error").asText()).contains("32 KB");

        ObjectNode huge = MAPPER.createObjectNode();
        ArrayNode calls = huge.putArray("batch");
        for (int i = 0; i < 17; i++) {
            ObjectNode call = track("Filler", "user-3");
            call.with("properties").put("blob", "y".repeat(30 * 1024));
            calls.add(call);
        }
        assertThat(huge.toString().length()).isGreaterThan(501 * 1024);
        HttpResponse<String> batch = send("/v1/batch", "application/json", huge.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("limits")));
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(json(batch).get("error").asText()).contains("500 KB");

        HttpResponse<String> mixed = batch("limits", List.of(track("Small", "user-3"), big));
        assertThat(mixed.statusCode()).isEqualTo(400);
        assertThat(json(mixed).get("accepted").asInt()).isEqualTo(1);
        assertThat(json(mixed).at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(json(mixed).at("/rejected/0/error").asText()).contains("32 KB");
        assertThat(events(HITS, "limits")).singleElement()
                .satisfies(e -> assertThat(e.at("/data/hit/events/0/params/segment_event").asText()).isEqualTo("Small"));
        assertThat(deadLetters("limits")).extracting(r -> Topics.header(r, "bus-dlq-reason"))
                .anySatisfy(reason -> assertThat(reason).contains("500 KB"))
                .anySatisfy(reason -> assertThat(reason).contains("32 KB"));
    }

    @Test
    void aGzippedBatchAsAnalyticsPythonSendsItIsAccepted() throws Exception {
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("batch").add(track("Gzipped", "user-4"));
        body.put("sentAt", Instant.now().toString());
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = send("/v1/batch", "application/json", zipped.toByteArray(),
                Map.of("Authorization", basic("gzip"), "Content-Encoding", "gzip", "User-Agent", "analytics-python/2.3.3"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(events(HITS, "gzip")).hasSize(1);
    }

    @Test
    void aRetriedCallIsOneRecord() throws Exception {
        ObjectNode call = track("Retried", "user-5");
        assertThat(batch("dedup", List.of(call)).statusCode()).isEqualTo(200);
        assertThat(batch("dedup", List.of(call)).statusCode()).isEqualTo(200);

        assertThat(events(HITS, "dedup")).hasSize(1);
    }

    @Test
    void theTimestampIsCorrectedByTheSendersClockSkew() throws Exception {
        Instant now = Instant.now();
        ObjectNode call = track("Skewed", "user-6");
        call.put("timestamp", now.minus(Duration.ofHours(1)).minusSeconds(10).toString());
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("batch").add(call);
        body.put("sentAt", now.minus(Duration.ofHours(1)).toString());
        assertThat(send("/v1/batch", "application/json", body.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("skew"))).statusCode()).isEqualTo(200);

        JsonNode hit = events(HITS, "skew").get(0);
        Instant time = Instant.parse(hit.get("time").asText());
        // the sender's clock is an hour behind: its event happened ~10 s before the call, by the bus's clock
        assertThat(Duration.between(time, now).abs()).isLessThan(Duration.ofSeconds(40));
        assertThat(Duration.between(time, now)).isGreaterThan(Duration.ofSeconds(5));
    }

    @Test
    void aBatchWithABadCallTakesTheOthersAndDeadLettersTheBadOne() throws Exception {
        ObjectNode noIds = track("Anonymous", null);
        noIds.remove("userId");
        ObjectNode unknown = track("Whatever", "user-7");
        unknown.put("type", "purchase");
        HttpResponse<String> response = batch("partial", List.of(track("One", "user-7"), noIds, track("Two", "user-7"), unknown));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode answer = json(response);
        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("message").asText()).startsWith("2 event(s) of the call refused, 2 taken");
        assertThat(answer.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/0/messageId").asText()).isEqualTo(noIds.get("messageId").asText());
        assertThat(answer.at("/rejected/0/error").asText()).contains("userId or anonymousId");
        assertThat(answer.at("/rejected/1/index").asInt()).isEqualTo(3);
        assertThat(answer.at("/rejected/1/error").asText()).contains("unknown type");
        assertThat(events(HITS, "partial")).hasSize(2);
        List<ConsumerRecord<String, byte[]>> dead = deadLetters("partial");
        assertThat(dead).hasSize(2);
        assertThat(Topics.header(dead.get(0), "bus-dlq-reason")).contains("userId or anonymousId");
        assertThat(Topics.value(dead.get(0))).contains(noIds.get("messageId").asText()).doesNotContain(key("partial"));
    }

    @Test
    void aCallQueuedOfflineForDaysIsTakenButNotOneOlderThanTheTrackingWindow() throws Exception {
        ObjectNode weekOld = track("Queued Offline", "user-10");
        weekOld.put("timestamp", Instant.now().minus(Duration.ofDays(7)).toString());
        ObjectNode tooOld = track("Queued Too Long", "user-10");
        tooOld.put("timestamp", Instant.now().minus(Duration.ofDays(31)).toString());
        HttpResponse<String> response = batch("window", List.of(weekOld, tooOld));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("accepted").asInt()).isEqualTo(1);
        assertThat(json(response).at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(json(response).at("/rejected/0/error").asText()).contains("outside the accepted event time window");
        assertThat(events(HITS, "window")).singleElement()
                .satisfies(e -> assertThat(e.at("/data/hit/events/0/name").asText()).isEqualTo("queued_offline"));
    }

    @Test
    void overTheRateLimitIs429WithRetryAfter() throws Exception {
        int status = 200;
        HttpResponse<String> response = null;
        for (int i = 0; i < 20 && status != 429; i++) {
            response = send("/v1/track", "application/json", track("Fast", "user-8").toString().getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", basic("limited")));
            status = response.statusCode();
        }
        assertThat(status).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().firstValue("X-RateLimit-Reset")).isPresent();
        assertThat(json(response).get("success").asBoolean()).isFalse();
        // another key is not held back
        assertThat(send("/v1/track", "application/json", track("Fast", "user-8").toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("cors"))).statusCode()).isEqualTo(200);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredAndAnyOtherIsRefused() throws Exception {
        for (String path : List.of("/v1/t", "/v1/batch", "/v1/identify")) {
            HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(URI.create(bus.url(path)))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ALLOWED_ORIGIN)
                    .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).isEqualTo(204);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type, Authorization, X-Retry-Count");
            assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).isPresent();
        }
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(bus.url("/v1/t")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> actual = send("/v1/track", "application/json", track("From Elsewhere", "user-9").toString()
                .getBytes(StandardCharsets.UTF_8), Map.of("Authorization", basic("cors"), "Origin", "https://evil.example.net"));
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void identifyUpsertsTheHubSpotContact() throws Exception {
        ObjectNode identify = TrackingSamples.json("segment-identify.json");
        identify.put("timestamp", Instant.now().toString());
        identify.with("traits").put("email", "tracked.identify@example.com");
        HttpResponse<String> response = send("/v1/identify", "application/json",
                identify.toString().getBytes(StandardCharsets.UTF_8), Map.of("Authorization", basic("identify")));

        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> bus.get("/sandbox/hubspot/contacts").body()
                .contains("tracked.identify@example.com"));
        assertThat(bus.get("/sandbox/hubspot/contacts").body()).contains("Martín");
        assertThat(events(HITS, "identify")).extracting(e -> e.get("type").asText())
                .containsExactly("marketing.identity.identified");
    }

    @Test
    void orderCompletedIsAPurchaseOnMarketingPurchasesKeyedByTheOrder() throws Exception {
        ObjectNode order = TrackingSamples.json("segment-track-order-completed.json");
        order.put("timestamp", Instant.now().toString());
        order.with("properties").put("order_id", "tracked-order-1001");
        assertThat(batch("orders", List.of(order)).statusCode()).isEqualTo(200);

        List<ConsumerRecord<String, byte[]>> purchases = Topics.readAll(bus.bootstrapServers(), "marketing.purchases").stream()
                .filter(r -> Topics.value(r).contains("/tracking/orders")).toList();
        assertThat(purchases).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(Conversion.orderKey("tracked-order-1001"));
            assertThat(read(r.value()).at("/data/conversion/transactionId").asText()).isEqualTo("tracked-order-1001");
        });
    }

    @Test
    void theTrackingPlanBlocksFlagsOrAllowsPerSource() throws Exception {
        ObjectNode bad = TrackingSamples.json("segment-track-order-completed.json");
        bad.put("timestamp", Instant.now().toString());
        ((ObjectNode) bad.get("properties")).remove("revenue");
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        for (String source : List.of("strict", "flagged", "open")) {
            bad.with("properties").put("order_id", "plan-" + source);
            answers.put(source, batch(source, List.of(bad.deepCopy())));
        }

        assertThat(answers.get("strict").statusCode()).isEqualTo(400);
        assertThat(json(answers.get("strict")).at("/rejected/0/error").asText()).contains("tracking plan").contains("revenue");
        assertThat(deadLetters("strict")).singleElement()
                .satisfies(r -> assertThat(Topics.header(r, "bus-dlq-reason")).contains("revenue"));
        assertThat(answers.get("flagged").statusCode()).isEqualTo(200);
        assertThat(answers.get("open").statusCode()).isEqualTo(200);
        List<ConsumerRecord<String, byte[]>> purchases = Topics.readAll(bus.bootstrapServers(), "marketing.purchases");
        assertThat(purchases.stream().filter(r -> Topics.value(r).contains("/tracking/strict"))).isEmpty();
        assertThat(purchases.stream().filter(r -> Topics.value(r).contains("/tracking/flagged")).toList()).singleElement()
                .satisfies(r -> assertThat(Topics.header(r, TrackingApi.VIOLATIONS_HEADER)).contains("revenue"));
        assertThat(purchases.stream().filter(r -> Topics.value(r).contains("/tracking/open")).toList()).singleElement()
                .satisfies(r -> assertThat(Topics.header(r, TrackingApi.VIOLATIONS_HEADER)).isNull());
        // the acceptance of each published event is recorded, the flagged one with its violations
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Topics.readAll(bus.bootstrapServers(),
                "marketing.delivery-records").stream().flatMap(r -> notes(r.value()))
                .filter(d -> "/tracking/flagged".equals(d.path("source").asText()))
                .filter(d -> "ingress:tracking".equals(d.path("stage").asText())).toList()).singleElement()
                .satisfies(d -> {                    assertThat(d.get("outcome").asText()).isEqualTo("accepted");
                    assertThat(d.get("type").asText()).isEqualTo("marketing.purchase.received");
                    assertThat(d.get("reason").asText()).contains("tracking plan violations").contains("revenue");
                }));
    }
}

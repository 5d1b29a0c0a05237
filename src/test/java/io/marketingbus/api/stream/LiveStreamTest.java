package io.marketingbus.api.stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/stream} end to end: the real Main with its embedded broker, a WireMock HubSpot as strict as flow 1's
 * tests, Mailchimp webhooks in, and Vert.x WebSocket clients (and a raw TCP one that stops reading) watching.
 */
class LiveStreamTest {

    static final String ADMIN = "stream-admin-token";
    static final String READ_KEY = "read-key-2";
    static final String SECRET = "s3cret-path-stream";
    static final String WEBHOOK = "/webhooks/mailchimp/" + SECRET;
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String TOPIC = "marketing.subscriptions";
    static final String GROUP = "marketing-bus.marketing.subscriptions.hubspot";
    static final int BUFFER = 100;

    @TempDir
    static Path dataDir;
    static FakePlatform hubspot;
    static RunningBus bus;
    static Vertx vertx;
    static WebSocketClient client;
    static int managementPort;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        hubspot = FakePlatform.hubspot();
        bus = RunningBus.startWith(dataDir, Map.of(
                "hubspot.access-token", "pat-test-token", "hubspot.client-secret", "test-client-secret",
                "mailchimp.webhook-secret", SECRET, "bus.admin-token", ADMIN,
                "api.stream.read-keys", "read-key-1," + READ_KEY, "api.stream.buffer-size", String.valueOf(BUFFER),
                // the stuck subscriber must outlive its test: three pings without a pong close it, and so does the
                // server's idle timeout once nothing it writes gets through
                "api.stream.ping-interval-ms", "120000", "bus.server.idle-timeout-ms", "300000",
                // a WebSocket is no slow request: it outlives the request timeout
                "bus.server.request-timeout-ms", "2000"), hubspot);
        managementPort = URI.create(bus.managementUrl("/")).getPort();
        vertx = Vertx.vertx();
        client = vertx.createWebSocketClient();
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close();
        }
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

    /** A WebSocket subscriber keeping every frame it gets. */
    final class Watcher implements AutoCloseable {
        final List<String> raw = new CopyOnWriteArrayList<>();
        final String query;
        final io.vertx.core.http.ClientWebSocket socket;

        Watcher(String query, String token) throws Exception {
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(managementPort)
                    .setURI("/v1/stream" + query);
            if (token != null) {
                options.addHeader("Authorization", "Bearer " + token);
            }
            this.query = query;
            socket = client.webSocket();
            // the handler before the upgrade: no frame is missed
            socket.textMessageHandler(raw::add);
            socket.connect(options).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            // the reader positions itself at the topics' end before it greets; on a loaded 2-core machine that has
            // taken over 30 s once (seen in a full run beside a browser and a packaged jar)
            await().atMost(Duration.ofSeconds(90)).until(() -> kinds().contains("subscribed"));
        }

        List<JsonNode> frames() {
            return raw.stream().map(text -> {
                try {
                    return mapper.readTree(text);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }

        List<String> kinds() {
            return frames().stream().map(f -> f.path("kind").asText()).toList();
        }

        List<JsonNode> about(String eventId) {
            return frames().stream().filter(f -> eventId.equals(f.path("id").asText())
                    || eventId.equals(f.path("eventId").asText())).toList();
        }

        boolean has(String eventId, String kind, String outcome) {
            return about(eventId).stream().anyMatch(f -> f.path("kind").asText().equals(kind)
                    && (outcome == null || outcome.equals(f.path("outcome").asText())));
        }

        JsonNode outcome(String eventId, String outcome) {
            return about(eventId).stream().filter(f -> outcome.equals(f.path("outcome").asText())).findFirst()
                    .orElseThrow();
        }

        @Override
        public void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return "watcher " + query + " got " + raw;
        }
    }

    /** Awaits the condition, naming what each watcher got when it does not come. */
    static void awaitFrames(java.util.concurrent.Callable<Boolean> condition, Watcher... watchers) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + java.util.Arrays.toString(watchers), e);
        }
    }

    static String subscribeFor(String email) {
        return Samples.text("mailchimp-subscribe.form").replace("lucia.martin%40example.com", email.replace("@", "%40"));
    }

    String subscribe(String email) throws Exception {
        var response = bus.postForm(WEBHOOK, subscribeFor(email));
        assertThat(response.statusCode()).isEqualTo(200);
        return mapper.readTree(response.body()).get("id").asText();
    }

    int rejectedStatus(String query, String token) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(managementPort)
                .setURI("/v1/stream" + query);
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        try {
            client.connect(options).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).close();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
            return ((UpgradeRejectedException) e.getCause()).getStatus();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutOrWithAWrongTokenTheUpgradeIsRefused() {
        assertThat(rejectedStatus("", null)).isEqualTo(401);
        assertThat(rejectedStatus("", "not-the-token")).isEqualTo(401);
        assertThat(rejectedStatus("", ADMIN + "x")).isEqualTo(401);
        assertThat(rejectedStatus("?token=" + ADMIN, null)).as("no token in the URL").isEqualTo(401);
    }

    @Test
    void anUnknownParameterIsRefusedBeforeTheUpgrade() {
        assertThat(rejectedStatus("?typ=marketing.contact.subscribed", ADMIN)).isEqualTo(400);
        assertThat(rejectedStatus("?outcome=skipped", ADMIN)).isEqualTo(400);
    }

    @Test
    void aReadKeyOpensTheStream() throws Exception {
        try (Watcher watcher = new Watcher("", READ_KEY)) {
            String id = subscribe("reader@example.com");
            awaitFrames(() -> watcher.has(id, "event", null), watcher);
        }
    }

    @Test
    void aSubscriberOutlivesTheServersRequestTimeout() throws Exception {
        try (Watcher watcher = new Watcher("?kind=events", ADMIN)) {
            Thread.sleep(4000);
            String id = subscribe("patient@example.com");
            awaitFrames(() -> watcher.has(id, "event", null), watcher);
        }
    }

    @Test
    void aSubscribeWebhookIsSeenWithItsOutcomesAndNoClearEmailOrPhone() throws Exception {
        try (Watcher watcher = new Watcher("", ADMIN)) {
            String id = subscribe("stream.one@example.com");

            awaitFrames(() -> watcher.has(id, "event", null)
                    && watcher.has(id, "outcome", "accepted") && watcher.has(id, "outcome", "delivered"), watcher);
            hubspot.verify(1, postRequestedFor(urlEqualTo(UPSERT)).withRequestBody(containing("stream.one@example.com")));
            JsonNode event = watcher.about(id).stream().filter(f -> f.get("kind").asText().equals("event")).findFirst()
                    .orElseThrow();
            assertThat(event.get("type").asText()).isEqualTo("marketing.contact.subscribed");
            assertThat(event.get("source").asText()).startsWith("/mailchimp");
            assertThat(event.at("/data/contact/email").asText()).isEqualTo("s***@example.com");
            assertThat(watcher.outcome(id, "accepted").get("stage").asText()).isEqualTo("ingress:mailchimp");
            JsonNode delivered = watcher.outcome(id, "delivered");
            assertThat(delivered.get("stage").asText()).isEqualTo("hubspot");
            assertThat(delivered.get("type").asText()).isEqualTo("marketing.contact.subscribed");
            assertThat(delivered.get("source").asText()).isEqualTo(event.get("source").asText());
            for (String frame : watcher.raw) {
                assertThat(frame).doesNotContain("stream.one@example.com").doesNotContain("stream.one%40")
                        .doesNotContain("600 11 22 33").doesNotContain("600112233");
            }
        }
    }

    @Test
    void filtersKeepOtherFramesAway() throws Exception {
        try (Watcher all = new Watcher("", ADMIN);
             Watcher deliveredToHubspot = new Watcher("?destination=hubspot&outcome=delivered", ADMIN);
             Watcher otherType = new Watcher("?type=marketing.contact.unsubscribed,marketing.purchase.*", ADMIN);
             Watcher eventsOnly = new Watcher("?kind=events&type=marketing.contact.*", ADMIN);
             Watcher ingressOnly = new Watcher("?destination=ingress:*", READ_KEY)) {
            String id = subscribe("filtered.one@example.com");

            awaitFrames(() -> all.has(id, "outcome", "delivered")
                    && deliveredToHubspot.has(id, "outcome", "delivered") && eventsOnly.has(id, "event", null)
                    && ingressOnly.has(id, "outcome", "accepted"), all, deliveredToHubspot, eventsOnly, ingressOnly);
            // the same event's frames reached "all" by now; the filtered subscribers got theirs through the same fan-out
            assertThat(all.about(id)).hasSizeGreaterThanOrEqualTo(3);
            assertThat(deliveredToHubspot.frames()).filteredOn(f -> !f.get("kind").asText().equals("subscribed"))
                    .allMatch(f -> f.get("kind").asText().equals("outcome") && f.get("stage").asText().equals("hubspot")
                            && f.get("outcome").asText().equals("delivered"));
            assertThat(otherType.about(id)).isEmpty();
            assertThat(eventsOnly.about(id)).extracting(f -> f.get("kind").asText()).containsOnly("event");
            assertThat(ingressOnly.about(id)).extracting(f -> f.get("outcome").asText()).containsOnly("accepted");
        }
    }

    @Test
    void aRejectedEventIsDeadLetteredWithTheReason() throws Exception {
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withRequestBody(containing("rejected.stream@example.com"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\","
                                + "\"category\":\"VALIDATION_ERROR\"}")));
        try (Watcher watcher = new Watcher("?outcome=dead-lettered", ADMIN)) {
            String id = subscribe("rejected.stream@example.com");

            awaitFrames(() -> watcher.has(id, "outcome", "dead-lettered"), watcher);
            JsonNode dead = watcher.outcome(id, "dead-lettered");
            assertThat(dead.get("stage").asText()).isEqualTo("hubspot");
            assertThat(dead.get("reason").asText()).contains("HTTP 400");
            assertThat(dead.get("httpStatus").asInt()).isEqualTo(400);
            assertThat(dead.get("attempt").asInt()).isEqualTo(1);
            assertThat(dead.toString()).doesNotContain("rejected.stream@example.com");
        }
    }

    @Test
    void aCallTriedAgainShowsRetriedThenDelivered() throws Exception {
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withRequestBody(containing("retried.stream@example.com"))
                .inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        try (Watcher watcher = new Watcher("?destination=hubspot", ADMIN)) {
            String id = subscribe("retried.stream@example.com");

            awaitFrames(() -> watcher.has(id, "outcome", "delivered"), watcher);
            JsonNode retried = watcher.outcome(id, "retried");
            assertThat(retried.get("httpStatus").asInt()).isEqualTo(503);
            assertThat(retried.get("attempt").asInt()).isEqualTo(1);
            assertThat(retried.get("reason").asText()).isEqualTo("HTTP 503");
            assertThat(watcher.about(id)).extracting(f -> f.get("outcome").asText())
                    .containsExactly("retried", "delivered");
        }
    }

    @Test
    void aStuckSubscriberNeverSlowsTheBusAndIsToldWhatItMissed() throws Exception {
        int events = 2000;
        try (Socket stuck = new Socket()) {
            // a client that reads the upgrade answer and its first frame, then nothing while the events flow
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", managementPort), 5000);
            stuck.setSoTimeout(30_000);
            OutputStream out = stuck.getOutputStream();
            out.write(("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1:" + managementPort + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = stuck.getInputStream();
            StringBuilder seen = new StringBuilder();
            readUntil(in, seen, "\"kind\":\"subscribed\"");
            assertThat(seen.toString()).startsWith("HTTP/1.1 101");

            ExecutorService senders = Executors.newFixedThreadPool(4);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                String email = "bulk-" + i + "@example.com";
                sent.add(senders.submit(() -> bus.postForm(WEBHOOK, subscribeFor(email)).statusCode()));
            }
            for (Future<Integer> status : sent) {
                assertThat(status.get(120, TimeUnit.SECONDS)).isEqualTo(200);
            }
            senders.shutdown();

            await().atMost(Duration.ofSeconds(120)).until(() -> lag() == 0);
            assertThat(upsertedBulkEmails()).hasSize(events);

            // it reads again: the frames it could not take were dropped, oldest first, and it is told how many
            readUntil(in, seen, "\"kind\":\"dropped\",\"count\":");
            Matcher dropped = Pattern.compile("\"kind\":\"dropped\",\"count\":(\\d+)").matcher(seen);
            assertThat(dropped.find()).isTrue();
            assertThat(Long.parseLong(dropped.group(1))).isPositive();
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create(bus.managementUrl("/observe/metrics"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher counted = Pattern.compile("(?m)^marketing_bus_stream_frames_dropped_total(\\{[^}]*})? (\\S+)")
                    .matcher(metrics);
            assertThat(counted.find()).isTrue();
            assertThat(Double.parseDouble(counted.group(2))).isPositive();
            System.out.printf("stuck subscriber: %d events delivered, first dropped count %s, %s frames dropped in all%n",
                    events, dropped.group(1), counted.group(2));
        }
    }

    /** Reads (as Latin-1, frames unmasked from the server) until the text appears, and a bit after it. */
    static void readUntil(InputStream in, StringBuilder seen, String text) throws Exception {
        byte[] chunk = new byte[8192];
        long deadline = System.currentTimeMillis() + 60_000;
        while (seen.indexOf(text) < 0 || !Pattern.compile(Pattern.quote(text) + "?\\d*[,}]").matcher(seen).find()) {
            assertThat(System.currentTimeMillis()).as("waiting for " + text).isLessThan(deadline);
            int n = in.read(chunk);
            if (n < 0) {
                throw new IllegalStateException("the stream closed before " + text + "; the last it got: "
                        + seen.substring(Math.max(0, seen.length() - 600)));
            }
            seen.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    Set<String> upsertedBulkEmails() {
        Set<String> emails = new HashSet<>();
        Pattern bulk = Pattern.compile("bulk-\\d+@example\\.com");
        for (var call : hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)))) {
            Matcher m = bulk.matcher(call.getBodyAsString());
            while (m.find()) {
                emails.add(m.group());
            }
        }
        return emails;
    }

    static long lag() throws Exception {
        return io.marketingbus.support.Topics.lag(bus.bootstrapServers(), GROUP, TOPIC);
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth2 access tokens that expire (issue 13, item 1): refreshed mid-stream with nothing lost, a 401 answered by one
 * refresh and one retry, a refused credential holding the destination (nothing dead-lettered, health and metric
 * saying why) until it is fixed.
 */
class OAuthRefreshTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String TOKEN = "/oauth/v3/token";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static String subscribe(String who) {
        return Samples.text("mailchimp-subscribe.form").replace("lucia.martin%40", who + "%40");
    }

    private static Map<String, String> oauth(String refreshToken) {
        return Map.of("hubspot.oauth.client-id", "app-1", "hubspot.oauth.client-secret", "app-secret-1",
                "hubspot.oauth.refresh-token", refreshToken, "hubspot.client-secret", "unused");
    }

    @Test
    void tokensThatExpireEveryTwoSecondsAreRefreshedMidStreamWithNothingLost() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(oauth("refresh-1"));
        settings.put("sandbox.oauth.token-lifetime-ms", "2000");
        settings.put("hubspot.requests-per-second", "100");
        settings.put("delivery.linger-ms", "10");
        try (RunningBus bus = RunningBus.start(dataDir, settings)) {
            int events = 40;
            long started = System.currentTimeMillis();
            for (int i = 0; i < events; i++) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe("p" + i)).statusCode()).isEqualTo(200);
                // the stream lasts about 8 s: four token lives
                Thread.sleep(200);
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    MAPPER.readTree(bus.get("/sandbox/hubspot/contacts").body()).path("total").asInt() == events);
            long issued = MAPPER.readTree(bus.get("/sandbox/hubspot/tokens").body()).path("issued").asLong();
            System.out.printf("oauth mid-stream: %d events over %d ms, %d tokens of 2 s issued, all delivered, "
                    + "0 dead letters%n", events, System.currentTimeMillis() - started, issued);
            assertThat(issued).as("tokens refreshed while events flowed").isGreaterThanOrEqualTo(3);
            assertThat(Topics.readAll(bus.bootstrapServers(), DLQ)).isEmpty();
            assertThat(text(bus.managementUrl("/observe/metrics")))
                    .contains("marketing_bus_credentials_valid{credential=\"hubspot\"} 1.0");
        }
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheCallTriedAgain() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        try {
            hubspot.stubFor(post(urlEqualTo(TOKEN)).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(Fakes.json("{\"access_token\":\"first\",\"expires_in\":1800}")).willSetStateTo("second"));
            hubspot.stubFor(post(urlEqualTo(TOKEN)).inScenario("tokens").whenScenarioStateIs("second")
                    .willReturn(Fakes.json("{\"access_token\":\"second\",\"expires_in\":1800}")));
            // HubSpot revoked "first" early (the app was re-installed): 401, whatever its expires_in said
            hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer first"))
                    .willReturn(aResponse().withStatus(401).withBody("{\"status\":\"error\",\"category\":\"EXPIRED_AUTHENTICATION\"}")));
            hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer second"))
                    .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
            Map<String, String> settings = new java.util.HashMap<>(oauth("refresh-1"));
            settings.put("hubspot.oauth.token-url", hubspot.baseUrl() + TOKEN);
            // retries alone would not save it: a 401 is no transient failure
            settings.put("delivery.retry.max-attempts", "1");
            try (RunningBus bus = RunningBus.startWith(dataDir, settings, hubspot)) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe("ana")).statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> hubspot.verify(1,
                        postRequestedFor(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer second"))));
                hubspot.verify(1, postRequestedFor(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer first")));
                hubspot.verify(2, postRequestedFor(urlEqualTo(TOKEN)).withRequestBody(containing("grant_type=refresh_token"))
                        .withRequestBody(containing("refresh_token=refresh-1")).withRequestBody(containing("client_id=app-1")));
                assertThat(Topics.readAll(bus.bootstrapServers(), DLQ)).isEmpty();
            }
        } finally {
            hubspot.stop();
        }
    }

    @Test
    void aSecond401StandsAfterTheOneRefresh() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        try {
            hubspot.stubFor(post(urlEqualTo(TOKEN)).willReturn(Fakes.json("{\"access_token\":\"t\",\"expires_in\":1800}")));
            hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(aResponse().withStatus(401)));
            Map<String, String> settings = new java.util.HashMap<>(oauth("refresh-1"));
            settings.put("hubspot.oauth.token-url", hubspot.baseUrl() + TOKEN);
            settings.put("delivery.retry.max-attempts", "1");
            try (RunningBus bus = RunningBus.startWith(dataDir, settings, hubspot)) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe("ana")).statusCode()).isEqualTo(200);
                // a 401 is no transient failure: after the one refresh and retry, the event is a dead letter as before
                await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), DLQ).size() == 1);
                hubspot.verify(2, postRequestedFor(urlEqualTo(UPSERT)));
                hubspot.verify(2, postRequestedFor(urlEqualTo(TOKEN)));
            }
        } finally {
            hubspot.stop();
        }
    }

    @Test
    void aRevokedCredentialPausesTheDestinationUntilItIsFixed() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        try {
            hubspot.stubFor(post(urlEqualTo(TOKEN)).willReturn(aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}")));
            hubspot.stubFor(post(urlEqualTo(TOKEN)).atPriority(1).withRequestBody(containing("refresh_token=fixed-2"))
                    .willReturn(Fakes.json("{\"access_token\":\"good\",\"expires_in\":1800}")));
            hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer good"))
                    .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
            Map<String, String> settings = new java.util.HashMap<>(oauth("revoked-1"));
            settings.put("hubspot.oauth.token-url", hubspot.baseUrl() + TOKEN);
            // failures alone would dead-letter within 2 s and 2 attempts; the breaker probes every second
            settings.put("delivery.retry.max-attempts", "2");
            settings.put("delivery.retry.max-elapsed-ms", "2000");
            settings.put("delivery.breaker.open-ms", "1000");
            try (RunningBus bus = RunningBus.startWith(dataDir, settings, hubspot)) {
                for (String who : new String[] {"ana", "ben", "cleo"}) {
                    assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe(who)).statusCode()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        text(bus.managementUrl("/observe/metrics")))
                        .contains("marketing_bus_credentials_valid{credential=\"hubspot\"} 0.0"));
                JsonNode health = MAPPER.readTree(text(bus.managementUrl("/observe/health?exposureLevel=full")));
                assertThat(health.toString()).contains("credentials").contains("invalid_grant: refresh token revoked");
                // the bus still takes webhooks: liveness and readiness are not the credential's business
                assertThat(MAPPER.readTree(text(bus.managementUrl("/observe/health/live"))).path("status").asText()).isEqualTo("UP");
                assertThat(MAPPER.readTree(text(bus.managementUrl("/observe/health/ready"))).path("status").asText()).isEqualTo("UP");
                // held well past what retries alone allow: nothing dead-lettered, nothing sent
                Thread.sleep(5000);
                assertThat(Topics.readAll(bus.bootstrapServers(), DLQ)).isEmpty();
                hubspot.verify(0, postRequestedFor(urlEqualTo(UPSERT)));
            }
            // the operator fixes the refresh token and restarts on the same data
            settings.put("hubspot.oauth.refresh-token", "fixed-2");
            try (RunningBus bus = RunningBus.startWith(dataDir, settings, hubspot)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> inputs(hubspot) == 3);
                assertThat(Topics.readAll(bus.bootstrapServers(), DLQ)).isEmpty();
                assertThat(text(bus.managementUrl("/observe/metrics")))
                        .contains("marketing_bus_credentials_valid{credential=\"hubspot\"} 1.0");
            }
        } finally {
            hubspot.stop();
        }
    }

    @Test
    void aServiceAccountKeepsTheGa4ReconciliationRunningAcrossTokenLives() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Path keyFile = dataDir.resolve("service-account.json");
        java.nio.file.Files.writeString(keyFile, MAPPER.createObjectNode().put("type", "service_account")
                .put("client_email", "bus@project.iam.gserviceaccount.com").put("private_key", pem).toString());
        try (RunningBus bus = RunningBus.start(dataDir.resolve("bus"), Map.of(
                "ga4.oauth.service-account-key-file", keyFile.toString(),
                "sandbox.oauth.token-lifetime-ms", "2000", "ga4.reconcile-cron", "0/1 * * * * ?"))) {
            io.marketingbus.platform.ga4.Ga4Reconciler reconciler = bus.context().getRegistry()
                    .lookupByNameAndType("Ga4Reconciler", io.marketingbus.platform.ga4.Ga4Reconciler.class);
            // the sandbox verifies each JWT assertion with the key's public half and refuses expired tokens
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    MAPPER.readTree(bus.get("/sandbox/ga4/tokens").body()).path("issued").asLong() >= 4);
            Object before = reconciler.last();
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciler.last() != null && reconciler.last() != before);
            assertThat(text(bus.managementUrl("/observe/metrics")))
                    .contains("marketing_bus_credentials_valid{credential=\"ga4\"} 1.0");
        }
    }

    private static int inputs(FakePlatform hubspot) throws Exception {
        int n = 0;
        for (var event : hubspot.getAllServeEvents()) {
            if (event.getRequest().getUrl().equals(UPSERT) && event.getResponse().getStatus() == 200) {
                n += MAPPER.readTree(event.getRequest().getBodyAsString()).path("inputs").size();
            }
        }
        return n;
    }

    private static String text(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}

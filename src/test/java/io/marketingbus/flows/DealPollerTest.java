package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.event.Identifiers;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deal poller: same deliveries as the webhook, a watermark that survives restarts, windows under the cap. */
class DealPollerTest {

    static final String SEARCH = "/crm/v3/objects/deals/search";

    @TempDir
    Path dataDir;
    FakePlatform hubspot;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void crm() {
        hubspot = FakePlatform.hubspot();
        String now = Instant.now().toString();
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/objects/deals/18204751234"))
                .willReturn(Fakes.json(Samples.text("hubspot-deal-get-with-associations-response.json"))));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/batch/read")).willReturn(Fakes.json(
                "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"51\",\"properties\":{\"email\":\"lucia.martin@example.com\","
                        + "\"firstname\":\"Lucia\",\"lastname\":\"Martin\",\"ads_personalisation_consent\":\"true\"}}]}")));
        hubspot.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer pat-poll")).willReturn(Fakes.json(
                Samples.text("hubspot-deals-search-response.json")
                        .replace("\"createdate\": \"2026-01-01T00:00:00.123Z\"", "\"createdate\": \"" + now + "\"")
                        .replace("\"hs_lastmodifieddate\": \"2026-01-01T00:00:02.004Z\"", "\"hs_lastmodifieddate\": \"" + now + "\""))));
    }

    @AfterEach
    void stop() {
        hubspot.stop();
    }


    RunningBus bus(boolean poll) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("hubspot.access-token", "pat-poll");
        settings.put("hubspot.client-secret", "poll-secret");
        settings.put("hubspot.deals.poll-enabled", String.valueOf(poll));
        settings.put("hubspot.deals.poll-cron", "0/1 * * * * ?");
        return RunningBus.startWith(dataDir, settings, hubspot);
    }

    List<LoggedRequest> searches() {
        return hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH)));
    }

    JsonNode sandbox(RunningBus bus, String path) throws Exception {
        return mapper.readTree(bus.get(path).body());
    }

    @Test
    void pollerAndWebhookOnTheSameDealDeliverOncePerPlatform() throws Exception {
        try (RunningBus bus = bus(true)) {
            String email = Identifiers.sha256Hex("lucia.martin@example.com");
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox(bus, "/sandbox/google-ads/user-lists")
                    .toString().contains(email));
            await().atMost(Duration.ofSeconds(30)).until(() -> searches().size() >= 3);

            String body = Samples.text("hubspot-deal-creation.json")
                    .replace("1767225600123", String.valueOf(System.currentTimeMillis()));
            String ts = String.valueOf(System.currentTimeMillis());
            var signer = new io.marketingbus.platform.hubspot.HubSpotSignatureVerifier("poll-secret", java.time.Clock.systemUTC());
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(bus.url("/webhooks/hubspot"))).header("Content-Type", "application/json")
                    .header("X-HubSpot-Request-Timestamp", ts)
                    .header("X-HubSpot-Signature-v3", signer.sign("POST",
                            bus.context().resolvePropertyPlaceholders("{{hubspot.webhook-url}}"),
                            body.getBytes(java.nio.charset.StandardCharsets.UTF_8), ts))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> searches().size() >= 6);

            assertThat(sandbox(bus, "/sandbox/google-ads/jobs")).hasSize(1);
            JsonNode audiences = sandbox(bus, "/sandbox/facebook/audiences");
            assertThat(audiences.get("23851234567890123")).hasSize(1);
            assertThat(sandbox(bus, "/sandbox/facebook/events")).hasSize(1);
        }
    }

    @Test
    void theWatermarkSurvivesARestartAndWindowsOverlapByTheConfiguredMargin() throws Exception {
        long before;
        try (RunningBus first = bus(true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> searches().size() >= 2);
            before = System.currentTimeMillis();
        }
        hubspot.resetRequests();
        try (RunningBus second = bus(true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !searches().isEmpty());
            JsonNode search = mapper.readTree(searches().get(0).getBodyAsString());
            long from = search.at("/filterGroups/0/filters/0/value").asLong();
            // resumed from the stored watermark minus the 60 s overlap, not from the 1 h initial look-back
            assertThat(from).isBetween(before - 60_000 - 5_000, before - 60_000 + 1_000);
            assertThat(search.at("/filterGroups/0/filters/0/operator").asText()).isEqualTo("GTE");
            assertThat(search.at("/filterGroups/0/filters/1/operator").asText()).isEqualTo("LT");
            assertThat(search.get("limit").asInt()).isEqualTo(200);
        }
    }

    @Test
    void aWindowOverTheSearchCapIsHalvedBeforeReading() throws Exception {
        hubspot.stubFor(post(urlEqualTo(SEARCH)).atPriority(1).inScenario("cap").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Fakes.json("{\"total\":15000,\"results\":[],\"paging\":{\"next\":{\"after\":\"200\"}}}"))
                .willSetStateTo("halved"));

        try (RunningBus bus = bus(true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> searches().size() >= 2);
            JsonNode wide = mapper.readTree(searches().get(0).getBodyAsString());
            JsonNode narrow = mapper.readTree(searches().get(1).getBodyAsString());
            long from = wide.at("/filterGroups/0/filters/0/value").asLong();
            long wideTo = wide.at("/filterGroups/0/filters/1/value").asLong();
            assertThat(narrow.at("/filterGroups/0/filters/0/value").asLong()).isEqualTo(from);
            assertThat(narrow.at("/filterGroups/0/filters/1/value").asLong()).isEqualTo(from + (wideTo - from) / 2);
            assertThat(narrow.get("after").asText()).isEqualTo("0");
            assertThat(hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH)).withRequestBody(containing("\"after\":\"200\""))))
                    .isEmpty();
        }
    }
}

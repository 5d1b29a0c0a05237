package io.marketingbus.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
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
import com.github.tomakehurst.wiremock.WireMockServer;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters sent back once the cause is fixed: delivered once, and a second replay changes nothing. */
class ReplayTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";

    @TempDir
    Path dataDir;
    final ObjectMapper mapper = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    JsonNode replay(RunningBus bus, String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.managementUrl("/admin/replay?" + query)))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return mapper.createObjectNode().put("status", response.statusCode()).set("body",
                response.statusCode() == 200 ? mapper.readTree(response.body()) : mapper.createObjectNode());
    }

    @Test
    void deadLettersAreReplayedOnceTheCauseIsFixedAndReplayingAgainChangesNothing() throws Exception {
        WireMockServer hubspot = new WireMockServer(wireMockConfig().dynamicPort());
        hubspot.start();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(aResponse().withStatus(400)
                .withBody("{\"status\":\"error\",\"message\":\"Property \\\"mailchimp_status\\\" does not exist\"}")));
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("hubspot.base-url", "http://127.0.0.1:" + hubspot.port(),
                "hubspot.access-token", "pat-replay", "hubspot.client-secret", "unused", "bus.admin-token", "ops-token"))) {
            bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), DLQ).size() == 1);

            // the portal gets its property; the operator looks first, then replays
            hubspot.resetAll();
            hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
            assertThat(replay(bus, "dlq=" + DLQ + "&dryRun=true", null).get("status").asInt()).isEqualTo(401);
            JsonNode dry = replay(bus, "dlq=" + DLQ + "&reason=HTTP%20400&dryRun=true", "ops-token").get("body");
            assertThat(dry.get("matched").asInt()).isEqualTo(1);
            assertThat(dry.get("replayed").asInt()).isZero();
            assertThat(dry.at("/toTopics/marketing.subscriptions").asInt()).isEqualTo(1);
            assertThat(replay(bus, "dlq=" + DLQ + "&reason=timeout&dryRun=true", "ops-token").at("/body/matched").asInt())
                    .isZero();
            Thread.sleep(1000);
            assertThat(hubspot.getAllServeEvents()).isEmpty();

            JsonNode done = replay(bus, "dlq=" + DLQ + "&since=2020-01-01T00:00:00Z", "ops-token").get("body");
            assertThat(done.get("replayed").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT))
                    .withRequestBody(containing("lucia.martin@example.com"))).size() == 1);

            assertThat(DeadLetterReplay.run(new String[] {"replay", "--dlq", DLQ, "--brokers", bus.bootstrapServers()}))
                    .isZero();
            // the second replay reached the consumer and was skipped as already delivered
            HttpRequest story = HttpRequest.newBuilder(URI.create(bus.managementUrl("/admin/events/" + firstEventId(bus))))
                    .header("Authorization", "Bearer ops-token").build();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(story, HttpResponse.BodyHandlers.ofString()).body()
                    .contains("already delivered"));
            assertThat(hubspot.getAllServeEvents()).hasSize(1);
        } finally {
            hubspot.stop();
        }
    }

    String firstEventId(RunningBus bus) throws Exception {
        return mapper.readTree(Topics.value(Topics.readAll(bus.bootstrapServers(), DLQ).get(0))).get("id").asText();
    }
}

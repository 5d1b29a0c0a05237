package io.marketingbus.ops.console;

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

/** The live debugger's trail and the dead letters page's groups and replay, through the console's JSON API. */
class ConsoleDebuggerApiTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";
    static final String TOKEN = "ops-token";

    @TempDir
    Path dataDir;
    final ObjectMapper mapper = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(RunningBus bus, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.managementUrl(path)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> replay(RunningBus bus, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/console/api/dead-letters/replay")))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedContactIsListedUnderItsReasonCountedByADryRunAndDeliveredOnceByTheReplay() throws Exception {
        WireMockServer hubspot = new WireMockServer(wireMockConfig().dynamicPort());
        hubspot.start();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(aResponse().withStatus(400).withBody(
                "{\"status\":\"error\",\"message\":\"lucia.martin@example.com: Property \\\"mailchimp_status\\\" does not exist\"}")));
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("hubspot.base-url", "http://127.0.0.1:" + hubspot.port(),
                "hubspot.access-token", "pat-console", "hubspot.client-secret", "unused", "bus.admin-token", TOKEN))) {
            bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(), DLQ).size() == 1);
            String eventId = mapper.readTree(Topics.value(Topics.readAll(bus.bootstrapServers(), DLQ).get(0))).get("id").asText();

            assertThat(get(bus, "/console/api/dead-letters", null).statusCode()).isEqualTo(401);
            HttpResponse<String> listed = get(bus, "/console/api/dead-letters", TOKEN);
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            JsonNode page = mapper.readTree(listed.body());
            JsonNode topic = find(page.get("topics"), "topic", DLQ);
            assertThat(topic.get("total").asInt()).isEqualTo(1);
            JsonNode group = topic.get("groups").get(0);
            assertThat(group.get("reason").asText()).contains("400");
            assertThat(group.get("count").asInt()).isEqualTo(1);
            assertThat(group.get("destination").asText()).isEqualTo("hubspot");
            JsonNode sample = group.get("samples").get(0);
            assertThat(sample.get("eventId").asText()).isEqualTo(eventId);
            assertThat(sample.toString()).doesNotContain("lucia.martin@example.com").contains("does not exist");

            // the trail: accepted at ingress, dead-lettered by HubSpot with its status and its (masked) answer
            await().atMost(Duration.ofSeconds(10)).until(() -> get(bus, "/console/api/events/" + eventId, TOKEN)
                    .body().contains("dead-lettered"));
            assertThat(get(bus, "/console/api/events/" + eventId, null).statusCode()).isEqualTo(401);
            JsonNode trail = mapper.readTree(get(bus, "/console/api/events/" + eventId, TOKEN).body());
            assertThat(trail.get("records").findValuesAsText("outcome")).contains("accepted", "dead-lettered");
            JsonNode dead = find(trail.get("records"), "outcome", "dead-lettered");
            assertThat(dead.get("stage").asText()).isEqualTo("hubspot");
            assertThat(dead.get("httpStatus").asInt()).isEqualTo(400);
            assertThat(dead.get("answer").asText()).contains("does not exist").doesNotContain("lucia.martin@example.com");
            assertThat(trail.toString()).doesNotContain("lucia.martin@example.com");
            assertThat(get(bus, "/console/api/events/no-such-event", TOKEN).statusCode()).isEqualTo(404);

            // the portal gets its property; a dry run first, then the replay
            hubspot.resetAll();
            hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
            String selection = mapper.createObjectNode().put("dlq", DLQ).put("reason", group.get("reason").asText())
                    .put("dryRun", true).toString();
            assertThat(replay(bus, "application/x-www-form-urlencoded", "dlq=" + DLQ).statusCode()).isEqualTo(415);
            HttpResponse<String> dry = replay(bus, "application/json", selection);
            assertThat(dry.statusCode()).isEqualTo(200);
            assertThat(mapper.readTree(dry.body()).get("matched").asInt()).isEqualTo(1);
            assertThat(mapper.readTree(dry.body()).get("replayed").asInt()).isZero();
            Thread.sleep(1000);
            assertThat(hubspot.getAllServeEvents()).isEmpty();

            HttpResponse<String> done = replay(bus, "application/json; charset=utf-8",
                    selection.replace("\"dryRun\":true", "\"dryRun\":false"));
            assertThat(mapper.readTree(done.body()).get("replayed").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT))
                    .withRequestBody(containing("lucia.martin@example.com"))).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(bus, "/console/api/events/" + eventId, TOKEN)
                    .body().contains("\"delivered\""));
            Thread.sleep(1000);
            assertThat(hubspot.getAllServeEvents()).hasSize(1);
        } finally {
            hubspot.stop();
        }
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.path(field).asText())) {
                return node;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.marketingbus.delivery.DestinationBreakers;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HubSpot down for a while: its breaker opens, its consumer holds the events instead of dead-lettering them,
 * another destination (GA4) keeps delivering, and after recovery every event arrives, in order per contact.
 * The outage lasts 30 s; retries alone are set to give up after 2 s here, so without the breaker these events
 * would be dead letters.
 */
class OutageTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";

    @TempDir
    Path dataDir;

    @Test
    void aHubSpotOutagePausesHubSpotOnlyAndLosesNothing() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        StubMapping down = hubspot.stubFor(post(urlEqualTo(UPSERT)).atPriority(1).willReturn(aResponse().withStatus(503)));
        long outageStart = System.currentTimeMillis();
        try (RunningBus bus = RunningBus.startWith(dataDir, Map.ofEntries(
                Map.entry("hubspot.access-token", "pat"), Map.entry("hubspot.client-secret", "unused"),
                Map.entry("hubspot.requests-per-second", "100"),
                Map.entry("delivery.retry.max-attempts", "3"), Map.entry("delivery.retry.max-elapsed-ms", "2000"),
                Map.entry("delivery.breaker.minimum-calls", "3"), Map.entry("delivery.breaker.open-ms", "1000")), hubspot)) {
            DestinationBreakers breakers = bus.context().getRegistry().lookupByNameAndType("DestinationBreakers",
                    DestinationBreakers.class);
            String subscribe = Samples.text("mailchimp-subscribe.form");
            for (int version = 1; version <= 3; version++) {
                for (String who : List.of("ana", "ben", "cleo")) {
                    assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe
                            .replace("lucia.martin%40", who + "%40").replace("LNAME%5D=Martin", "LNAME%5D=v" + version)
                            .replace("09%3A31%3A07", "09%3A31%3A0" + version)).statusCode()).isEqualTo(200);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> breakers.state("hubspot") != CircuitBreaker.State.CLOSED);

            // GA4 has its own consumer: its hits go through while HubSpot is down
            String hit = "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"page_view\",\"params\":{\"page_title\":\"during-outage\"}}]}";
            assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json", hit)
                    .statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(15)).until(() -> bus.get("/sandbox/ga4/hits").body().contains("during-outage"));

            // a 30 s outage, fifteen times what the retries alone would wait
            Thread.sleep(Math.max(0, 30_000 - (System.currentTimeMillis() - outageStart)));
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions.hubspot.dlq")).isEmpty();
            long recovering = System.currentTimeMillis();
            hubspot.removeStub(down);
            await().atMost(Duration.ofSeconds(60)).until(() -> appliedInputs(hubspot) == 9);
            System.out.printf("outage: 30 s of 503, %d calls refused, 0 dead letters, all 9 delivered %d ms after "
                    + "recovery, order kept%n", hubspot.getAllServeEvents().stream()
                    .filter(e -> e.getResponse().getStatus() != 200).count(), System.currentTimeMillis() - recovering);
            assertThat(breakers.state("hubspot")).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions.hubspot.dlq")).isEmpty();
            ObjectMapper mapper = new ObjectMapper();
            for (String who : List.of("ana", "ben", "cleo")) {
                List<String> applied = hubspot.getAllServeEvents().stream()
                        .filter(e -> e.getResponse().getStatus() == 200)
                        .filter(e -> e.getRequest().getBodyAsString().contains(who + "@example.com"))
                        .sorted(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                        .flatMap(e -> lastNames(mapper, e.getRequest().getBodyAsString(), who).stream()).toList();
                assertThat(applied).as("order of %s's updates", who).containsExactly("v1", "v2", "v3");
            }
        } finally {
            hubspot.stop();
        }
    }

    /** Inputs HubSpot accepted, over all batch calls answered 200. */
    static long appliedInputs(WireMockServer hubspot) {
        ObjectMapper mapper = new ObjectMapper();
        return hubspot.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() == 200)
                .mapToLong(e -> {
                    try {
                        return mapper.readTree(e.getRequest().getBodyAsString()).get("inputs").size();
                    } catch (Exception bad) {
                        throw new IllegalStateException(bad);
                    }
                }).sum();
    }

    /** The last names one call carried for the person, in input order. */
    static List<String> lastNames(ObjectMapper mapper, String body, String who) {
        try {
            List<String> names = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode input : mapper.readTree(body).get("inputs")) {
                if (input.get("id").asText().startsWith(who + "@")) {
                    names.add(input.at("/properties/lastname").asText());
                }
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

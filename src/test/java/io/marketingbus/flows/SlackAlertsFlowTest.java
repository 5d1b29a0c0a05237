package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.marketingbus.delivery.DestinationBreakers;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outage of the sandbox HubSpot: its breaker opens and closes, and the Slack alerts channel gets one message
 * for each, however often the breaker changes state meanwhile (routes/flows/notifications.camel.yaml, rule 3).
 */
class SlackAlertsFlowTest {

    @TempDir
    Path dataDir;

    @Test
    void aHubSpotOutagePostsOneAlertWhenItsBreakerOpensAndOneWhenItCloses() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.ofEntries(
                Map.entry("slack.alerts.enabled", "true"), Map.entry("slack.alerts.check-ms", "300"),
                Map.entry("slack.alerts.channel", "C0ALERTS"),
                Map.entry("hubspot.requests-per-second", "100"),
                // retried for as long as the outage lasts, however slow the machine: the breaker, not the retry budget, decides
                Map.entry("delivery.retry.max-attempts", "1000"), Map.entry("delivery.retry.max-elapsed-ms", "600000"),
                Map.entry("delivery.breaker.minimum-calls", "3"), Map.entry("delivery.breaker.open-ms", "500")))) {
            DestinationBreakers breakers = bus.context().getRegistry().lookupByNameAndType("DestinationBreakers",
                    DestinationBreakers.class);
            assertThat(bus.post("/sandbox/faults/hubspot", "application/json", "{\"status\":503,\"times\":100000}")
                    .statusCode()).isLessThan(300);
            String subscribe = Samples.text("mailchimp-subscribe.form");
            for (String who : List.of("ana", "ben", "cleo")) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe.replace("lucia.martin%40", who + "%40"))
                        .statusCode()).isEqualTo(200);
            }
            // the breaker's state, sampled until the alert is posted (however slow the machine), then for 3 s more:
            // it goes open, half-open (a probe), open again... while HubSpot is down
            List<CircuitBreaker.State> states = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                sample(states, breakers.state("hubspot"));
                return bus.get("/sandbox/slack/messages").body().contains("hubspot deliveries paused: its breaker opened");
            });
            long outageEnd = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < outageEnd) {
                sample(states, breakers.state("hubspot"));
                Thread.sleep(20);
            }
            assertThat(states).contains(CircuitBreaker.State.OPEN);

            // HubSpot is back
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(bus.url("/sandbox/faults/hubspot"))).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            await().atMost(Duration.ofSeconds(40)).until(() -> bus.get("/sandbox/slack/messages").body()
                    .contains("hubspot deliveries resumed: its breaker closed"));

            JsonNode messages = new ObjectMapper().readTree(bus.get("/sandbox/slack/messages").body());
            List<String> texts = new ArrayList<>();
            messages.forEach(m -> texts.add(m.get("channel").asText() + " " + m.get("text").asText()));
            assertThat(texts).containsExactly("C0ALERTS :rotating_light: hubspot deliveries paused: its breaker opened",
                    "C0ALERTS :rotating_light: hubspot deliveries resumed: its breaker closed");
            System.out.printf("slack alerts: breaker states sampled during the outage %s, %d Slack messages%n", states,
                    messages.size());
        }
    }

    private static void sample(List<CircuitBreaker.State> states, CircuitBreaker.State state) {
        if (states.isEmpty() || states.get(states.size() - 1) != state) {
            states.add(state);
        }
    }
}

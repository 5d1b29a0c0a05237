package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
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
 * HubSpot answers 429 with {@code Retry-After: 1} three times, then takes calls again. A rate limit is the
 * platform's pace, not an outage: the breaker stays closed (here it would open after 3 failures and wait 10 min),
 * the events are not dead-lettered although the retries alone give up after 2 attempts, every event is applied
 * once and in order, and no call reaches HubSpot before the second it asked for has passed.
 */
class RateLimitTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DLQ = "marketing.subscriptions.hubspot.dlq";

    @TempDir
    Path dataDir;

    @Test
    void aRateLimitedDestinationWaitsWhatItWasToldAndNeitherOpensItsBreakerNorDeadLetters() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        String state = Scenario.STARTED;
        for (int i = 1; i <= 3; i++) {
            hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("rate limit").whenScenarioStateIs(state)
                    .willSetStateTo("429 number " + i)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                            .withHeader("Content-Type", "application/json")
                            .withBody(Samples.text("hubspot-429-response.json"))));
            state = "429 number " + i;
        }
        hubspot.stubFor(post(urlEqualTo(UPSERT)).inScenario("rate limit").whenScenarioStateIs(state)
                .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (RunningBus bus = RunningBus.startWith(dataDir, Map.ofEntries(
                Map.entry("hubspot.access-token", "pat"), Map.entry("hubspot.client-secret", "unused"),
                Map.entry("hubspot.requests-per-second", "100"),
                Map.entry("delivery.retry.max-attempts", "2"), Map.entry("delivery.retry.max-elapsed-ms", "1500"),
                Map.entry("delivery.breaker.minimum-calls", "3"), Map.entry("delivery.breaker.open-ms", "600000"),
                // the three events wait on the topic, so they are one batch: three calls, one after the other
                Map.entry("hubspot.subscriptions.enabled", "false")), hubspot)) {
            DestinationBreakers breakers = bus.context().getRegistry().lookupByNameAndType("DestinationBreakers",
                    DestinationBreakers.class);
            AtomicBoolean breakerLeftClosed = new AtomicBoolean();
            sampler.scheduleWithFixedDelay(() -> {
                if (breakers.state("hubspot") != CircuitBreaker.State.CLOSED) {
                    breakerLeftClosed.set(true);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            String subscribe = Samples.text("mailchimp-subscribe.form");
            for (int version = 1; version <= 3; version++) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", subscribe.replace("lucia.martin%40", "ana%40")
                        .replace("LNAME%5D=Martin", "LNAME%5D=v" + version)
                        .replace("09%3A31%3A07", "09%3A31%3A0" + version)).statusCode()).isEqualTo(200);
            }

            bus.context().getRouteController().startRoute("deliver-subscriptions-to-hubspot");

            await().atMost(Duration.ofSeconds(60)).until(() -> OutageTest.appliedInputs(hubspot) == 3
                    || !Topics.readAll(bus.bootstrapServers(), DLQ).isEmpty());
            assertThat(Topics.readAll(bus.bootstrapServers(), DLQ)).as("dead letters").isEmpty();
            assertThat(OutageTest.appliedInputs(hubspot)).isEqualTo(3);
            assertThat(breakerLeftClosed).as("the breaker left CLOSED").isFalse();
            assertThat(breakers.state("hubspot")).isEqualTo(CircuitBreaker.State.CLOSED);

            List<ServeEvent> calls = hubspot.getAllServeEvents().stream()
                    .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
            assertThat(calls).extracting(e -> e.getResponse().getStatus()).containsExactly(429, 429, 429, 200, 200, 200);
            for (int i = 1; i < calls.size(); i++) {
                ServeEvent before = calls.get(i - 1);
                if (before.getResponse().getStatus() == 429) {
                    assertThat(calls.get(i).getRequest().getLoggedDate().getTime())
                            .as("call %d, after a 429 asking for 1 s", i + 1)
                            .isGreaterThanOrEqualTo(before.getRequest().getLoggedDate().getTime() + 1000);
                }
            }
            ObjectMapper mapper = new ObjectMapper();
            List<String> applied = calls.stream().filter(e -> e.getResponse().getStatus() == 200)
                    .flatMap(e -> OutageTest.lastNames(mapper, e.getRequest().getBodyAsString(), "ana").stream()).toList();
            assertThat(applied).containsExactly("v1", "v2", "v3");
        } finally {
            sampler.shutdownNow();
            hubspot.stop();
        }
    }
}

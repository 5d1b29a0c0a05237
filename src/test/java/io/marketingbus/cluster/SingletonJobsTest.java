package io.marketingbus.cluster;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import org.apache.camel.cluster.CamelClusterService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two buses on one Kafka cluster: the deal poller and the GA4 reconciler run on exactly one of them, and move to the
 * other when it stops. Each bus calls HubSpot with its own token, so the fake tells which instance polled.
 */
class SingletonJobsTest {

    static final String SEARCH = "/crm/v3/objects/deals/search";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    EmbeddedKafkaBroker broker;
    FakePlatform hubspot;

    @BeforeEach
    void cluster() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0, 0);
        broker.start();
        hubspot = FakePlatform.hubspot();
        for (String token : List.of("pat-single-a", "pat-single-b")) {
            hubspot.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer " + token))
                    .willReturn(Fakes.json("{\"total\":0,\"results\":[]}")));
        }
    }

    @AfterEach
    void stop() {
        FakePlatform.stopAll(hubspot);
        broker.stop();
    }

    RunningBus bus(String name) throws Exception {
        return RunningBus.startWith(dir.resolve(name), Map.of(
                "camel.component.kafka.brokers", broker.bootstrapServers(),
                "camel.main.name", "bus-" + name,
                "hubspot.access-token", "pat-single-" + name,
                "hubspot.client-secret", "poll-secret",
                "hubspot.deals.poll-enabled", "true",
                "hubspot.deals.poll-cron", "0/1 * * * * ?",
                // the broker's smallest session timeout: a dead leader is replaced within it
                "bus.cluster.kafka.session-timeout-ms", "6000"), hubspot);
    }

    Set<String> pollingTokens() {
        return hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH))).stream()
                .map(r -> r.getHeader("Authorization")).collect(Collectors.toSet());
    }

    static boolean leads(RunningBus bus, String namespace) {
        return bus.context().hasService(CamelClusterService.class).isLeader(namespace);
    }

    static int leaderGauge(RunningBus bus, String job) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/observe/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^marketing_bus_singleton_leader\\{job=\"" + job + "\"\\} ([0-9.]+)$").matcher(metrics);
        assertThat(m.find()).as("marketing_bus_singleton_leader of %s in %s", job, metrics).isTrue();
        return (int) Double.parseDouble(m.group(1));
    }

    static boolean joined(RunningBus bus) throws Exception {
        CamelClusterService service = bus.context().hasService(CamelClusterService.class);
        for (String job : List.of("hubspot-deals-poll", "ga4-reconcile")) {
            if (!service.getView(job).unwrap(KafkaClusterView.class).joined()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theSingletonJobsRunOnOneInstanceAndMoveWhenItStops() throws Exception {
        RunningBus a = bus("a");
        RunningBus b = bus("b");
        try {
            // both have joined every job's group: from now on the leader keeps its jobs
            await().atMost(Duration.ofSeconds(30)).until(() -> joined(a) && joined(b));
            hubspot.resetRequests();
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH))).size() >= 4);
            // both buses run the same cron: without the election both would search every second
            assertThat(pollingTokens()).hasSize(1);
            for (String job : List.of("hubspot-deals-poll", "ga4-reconcile")) {
                assertThat(leads(a, job) ^ leads(b, job)).as("exactly one leader of %s", job).isTrue();
            }

            // the follower, whose job consumers are not started, is as ready as the leader
            for (RunningBus bus : List.of(a, b)) {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(bus.managementUrl(
                        "/observe/health/ready"))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).contains("\"UP\"");
            }

            // operators see which instance runs each job
            for (String job : List.of("hubspot-deals-poll", "ga4-reconcile")) {
                assertThat(leaderGauge(a, job) + leaderGauge(b, job)).as("marketing_bus_singleton_leader of %s", job)
                        .isEqualTo(1);
                assertThat(leaderGauge(a, job)).isEqualTo(leads(a, job) ? 1 : 0);
            }

            RunningBus leader = pollingTokens().contains("Bearer pat-single-a") ? a : b;
            RunningBus survivor = leader == a ? b : a;
            String survivorToken = leader == a ? "Bearer pat-single-b" : "Bearer pat-single-a";
            leader.close();
            hubspot.resetRequests();
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH))).size() >= 2);
            assertThat(pollingTokens()).containsExactly(survivorToken);
            assertThat(leads(survivor, "hubspot-deals-poll")).isTrue();
            assertThat(leads(survivor, "ga4-reconcile")).isTrue();
        } finally {
            a.close();
            b.close();
        }
    }
}

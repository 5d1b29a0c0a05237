package io.marketingbus;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged-jar instances on one external (in-process, single-node KRaft) broker receive a stream of Mailchimp
 * webhooks, several updates per contact, spread over both as a load balancer would; the instance running the deal
 * poller is killed with {@code kill -9} mid-stream. Afterwards the strict fake HubSpot must have every update (0
 * lost), each contact's updates in the order they were sent (a replay of the in-flight batch after the kill repeats
 * updates already applied, in order: counted as duplicates, all of them idempotent batch upserts), and the poller
 * must be running on the survivor. Prints the figures (docs/scaling.md, "Measured with two instances").
 */
class TwoInstancesIT {

    static final int CONTACTS = 300;
    static final int UPDATES = 5;
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String SEARCH = "/crm/v3/objects/deals/search";

    @TempDir
    Path dir;
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void killNineOfOneOfTwoInstancesLosesNothingAndMovesThePoller() throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0, 0);
        broker.start();
        WireMockServer hubspot = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20));
        hubspot.start();
        for (String token : List.of("pat-two-a", "pat-two-b")) {
            // strict: anything else (another path, another token) is a 404 the bus would dead-letter
            hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer " + token))
                    .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
            hubspot.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer " + token))
                    .willReturn(Fakes.json("{\"total\":0,\"results\":[]}")));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Process> buses = new LinkedHashMap<>();
        Map<String, String> urls = new HashMap<>();
        try {
            for (String name : List.of("a", "b")) {
                int port = RunningBus.freePort();
                urls.put(name, "http://127.0.0.1:" + port + "/webhooks/mailchimp/two-secret");
                buses.put(name, start(name, port, broker.bootstrapServers(), hubspot.port()));
            }
            for (String name : buses.keySet()) {
                CrashIT.awaitReady(http, urls.get(name));
            }
            // both running the same 1 s cron, only the leader searches
            long joined = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(60)).until(() -> searches(hubspot, joined) >= 3);
            assertThat(searchers(hubspot, joined)).as("instances searching HubSpot").hasSize(1);

            String form = Samples.text("mailchimp-subscribe.form");
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger resent = new AtomicInteger();
            String[] alive = {"a", "b"};
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sends = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < CONTACTS; c++) {
                int contact = c;
                // one contact's updates one after the other (each after the previous one's 200), to either instance
                sends.add(senders.submit(() -> {
                    for (int v = 1; v <= UPDATES; v++) {
                        String body = form.replace("lucia.martin%40", "two" + contact + "%40")
                                .replace("FNAME%5D=Lucia", "FNAME%5D=v" + v)
                                .replace("fired_at=2026-01-15+09%3A31%3A07", "fired_at=2026-01-15+09%3A31%3A0" + v);
                        int attempt = contact + v;
                        while (!send(http, urls.get(alive[attempt % alive.length]), body)) {
                            resent.incrementAndGet();
                            attempt++;
                            Thread.sleep(100);
                        }
                        accepted.incrementAndGet();
                    }
                    return null;
                }));
            }
            // mid-stream: kill -9 the instance running the poller
            await().atMost(Duration.ofMinutes(2)).until(() -> accepted.get() >= CONTACTS * UPDATES / 3);
            String leader = searchers(hubspot, 0).contains("Bearer pat-two-a") ? "a" : "b";
            String survivor = leader.equals("a") ? "b" : "a";
            buses.get(leader).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            long killedAt = System.currentTimeMillis();
            int acceptedAtKill = accepted.get();
            alive[0] = survivor;
            alive[1] = survivor;

            for (Future<?> send : sends) {
                send.get(5, TimeUnit.MINUTES);
            }
            senders.shutdown();
            AtomicLong failover = new AtomicLong();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Long first = firstSearchAfter(hubspot, killedAt, "Bearer pat-two-" + survivor);
                if (first != null) {
                    failover.set(first - killedAt);
                }
                return first != null;
            });
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> applied(hubspot).values().stream().filter(s -> s.contains(UPDATES)).count() == CONTACTS);

            Map<String, List<Integer>> applied = applied(hubspot);
            long lost = 0;
            long duplicates = 0;
            long outOfOrder = 0;
            for (int c = 0; c < CONTACTS; c++) {
                List<Integer> seq = applied.getOrDefault("two" + c + "@example.com", List.of());
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                int max = 0;
                for (int v : seq) {
                    if (!seen.add(v)) {
                        duplicates++;
                    } else if (v < max) {
                        outOfOrder++;
                    }
                    max = Math.max(max, v);
                }
                lost += UPDATES - seen.size();
                if (!seq.isEmpty() && seq.get(seq.size() - 1) != UPDATES) {
                    outOfOrder++;
                }
            }
            List<String> deadSearches = hubspot.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().equals(SEARCH))
                    .filter(e -> e.getRequest().getLoggedDate().getTime() > killedAt + 1000)
                    .map(e -> e.getRequest().getHeader("Authorization"))
                    .filter(t -> !t.equals("Bearer pat-two-" + survivor)).toList();
            long upsertsBefore = hubspot.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(UPSERT)
                    && e.getRequest().getLoggedDate().getTime() <= killedAt && e.getRequest().getHeader("Authorization")
                    .equals("Bearer pat-two-" + leader)).count();
            long upsertsAfter = hubspot.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(UPSERT)
                    && e.getRequest().getLoggedDate().getTime() > killedAt).count();
            long unmatched = hubspot.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() != 200).count();
            System.out.printf("two instances: %d contacts x %d updates = %d webhooks (%d resent while an instance was "
                    + "down), kill -9 of the poller's instance after %d accepted; lost %d, out of order %d, duplicate "
                    + "applications %d (idempotent batch upserts), calls HubSpot refused %d; upsert calls by the killed "
                    + "instance before the kill %d, by the survivor after it %d; poller on the survivor %d ms after the "
                    + "kill; %.1f s in all%n", CONTACTS, UPDATES, CONTACTS * UPDATES, resent.get(),
                    acceptedAtKill, lost, outOfOrder, duplicates, unmatched, upsertsBefore, upsertsAfter, failover.get(),
                    (System.nanoTime() - started) / 1e9);
            assertThat(accepted.get()).isEqualTo(CONTACTS * UPDATES);
            assertThat(lost).as("updates never applied").isZero();
            assertThat(outOfOrder).as("updates applied out of order").isZero();
            assertThat(unmatched).as("calls the strict fake refused").isZero();
            assertThat(duplicates).as("duplicates: at most the batches in flight at the kill")
                    .isLessThanOrEqualTo(CONTACTS * UPDATES);
            assertThat(upsertsBefore).as("the killed instance delivered part of the stream").isPositive();
            assertThat(deadSearches).as("searches by the killed instance after the kill").isEmpty();
            String logs = Files.readString(dir.resolve("bus-a.log")) + Files.readString(dir.resolve("bus-b.log"));
            assertThat(logs).as("no e-mail in the logs").doesNotContainPattern("two\\d+@example");
            assertThat(logs).as("no token in the logs").doesNotContain("pat-two-");
            assertThat(Files.readString(dir.resolve("bus-" + survivor + ".log")))
                    .contains("This instance now runs the singleton job hubspot-deals-poll");
        } finally {
            for (Process bus : buses.values()) {
                bus.destroy();
                bus.waitFor(60, TimeUnit.SECONDS);
            }
            hubspot.stop();
            broker.stop();
        }
    }

    static boolean send(HttpClient http, String url, String body) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static long searches(WireMockServer hubspot, long after) {
        return hubspot.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(SEARCH)
                && e.getRequest().getLoggedDate().getTime() > after).count();
    }

    /** The tokens that searched HubSpot after the given time. */
    static java.util.Set<String> searchers(WireMockServer hubspot, long after) {
        java.util.Set<String> tokens = new java.util.HashSet<>();
        for (ServeEvent e : hubspot.getAllServeEvents()) {
            if (e.getRequest().getUrl().equals(SEARCH) && e.getRequest().getLoggedDate().getTime() > after) {
                tokens.add(e.getRequest().getHeader("Authorization"));
            }
        }
        return tokens;
    }

    static Long firstSearchAfter(WireMockServer hubspot, long after, String token) {
        return hubspot.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(SEARCH) && token.equals(e.getRequest().getHeader("Authorization")))
                .map(e -> e.getRequest().getLoggedDate().getTime()).filter(t -> t > after).min(Long::compare).orElse(null);
    }

    /** Per e-mail, the update numbers (firstname v1..vN) HubSpot accepted, in the order it received them. */
    Map<String, List<Integer>> applied(WireMockServer hubspot) throws IOException {
        List<ServeEvent> events = new ArrayList<>(hubspot.getAllServeEvents());
        java.util.Collections.reverse(events); // the journal lists the newest first
        Map<String, List<Integer>> applied = new HashMap<>();
        for (ServeEvent e : events) {
            if (!e.getRequest().getUrl().equals(UPSERT) || e.getResponse().getStatus() != 200) {
                continue;
            }
            for (JsonNode input : mapper.readTree(e.getRequest().getBodyAsString()).path("inputs")) {
                String name = input.at("/properties/firstname").asText("");
                if (name.startsWith("v")) {
                    applied.computeIfAbsent(input.path("id").asText(), k -> new ArrayList<>())
                            .add(Integer.parseInt(name.substring(1)));
                }
            }
        }
        return applied;
    }

    Process start(String name, int port, String brokers, int hubspotPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", Path.of(System.getProperty("bus.jar", "target/marketing-bus.jar")).toAbsolutePath().toString())
                .directory(Files.createDirectories(dir.resolve(name)).toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("bus-" + name + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("INGRESS_EVENT_TIME_MAX_AGE_MS", RunningBus.SAMPLES_MAX_AGE_MS);
        env.put("CAMEL_MAIN_NAME", "bus-" + name);
        env.put("CAMEL_SERVER_PORT", String.valueOf(port));
        env.put("CAMEL_MANAGEMENT_PORT", String.valueOf(RunningBus.freePort()));
        env.put("CAMEL_COMPONENT_KAFKA_BROKERS", brokers);
        // a dead member's partitions move after this (camel-kafka's default is 45 s)
        env.put("CAMEL_COMPONENT_KAFKA_SESSION_TIMEOUT_MS", "10000");
        env.put("BUS_CLUSTER_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("HUBSPOT_BASE_URL", "http://127.0.0.1:" + hubspotPort);
        env.put("HUBSPOT_ACCESS_TOKEN", "pat-two-" + name);
        env.put("HUBSPOT_CLIENT_SECRET", "unused");
        env.put("HUBSPOT_REQUESTS_PER_SECOND", "10000");
        env.put("HUBSPOT_DEALS_POLL_ENABLED", "true");
        env.put("HUBSPOT_DEALS_POLL_CRON", "0/1 * * * * ?");
        env.put("MAILCHIMP_WEBHOOK_SECRET", "two-secret");
        return builder.start();
    }
}

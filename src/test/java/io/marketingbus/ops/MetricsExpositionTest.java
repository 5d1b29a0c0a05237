package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Prometheus server and {@code promtool check metrics} see at {@code /observe/metrics}: every
 * {@code marketing_bus_*} family described, typed and present at zero from the start; delivery latency measured
 * from the bus's acceptance, the source's own lag apart.
 */
class MetricsExpositionTest {

    static final List<String> DESTINATIONS = List.of("hubspot", "enricher", "facebook", "google-ads", "ga4",
            "resolver", "loyalty");
    static final List<String> GROUPS = List.of("marketing.subscriptions.hubspot", "marketing.deal-changes.enricher",
            "marketing.opportunities.facebook", "marketing.opportunities.google-ads", "marketing.analytics-hits.ga4",
            "marketing.purchases.resolver", "marketing.conversions.hubspot", "marketing.conversions.loyalty");
    /** promtool's lint: units in base form, never abbreviated. */
    static final Pattern NON_BASE_UNITS = Pattern.compile(
            "_(ms|us|ns|millis|milliseconds|microseconds|nanoseconds|minutes|hours|days|kb|mb|gb|kilobytes|megabytes|percent)(_|$)");
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    /** Scraped right after start, before any event. */
    static String atStart;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("bus.metrics.lag-interval-seconds", "1"));
        atStart = scrape();
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    static String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/observe/metrics")))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A metric family as the text format declares it. */
    record Family(String name, List<String> help, List<String> type, List<String> samples) {
    }

    static Map<String, Family> families(String exposition) {
        Map<String, Family> families = new LinkedHashMap<>();
        Family current = null;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                current = families.computeIfAbsent(parts[0],
                        n -> new Family(n, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                (line.startsWith("# HELP ") ? current.help() : current.type()).add(parts.length > 1 ? parts[1] : "");
            } else if (!line.startsWith("#") && !line.isBlank() && current != null) {
                current.samples().add(line);
            }
        }
        return families;
    }

    @Test
    void everyBusFamilyPassesPromtoolsLintBeforeAnyEvent() {
        Map<String, Family> bus = new LinkedHashMap<>();
        families(atStart).forEach((name, family) -> {
            if (name.startsWith("marketing_bus_")) {
                bus.put(name, family);
            }
        });
        assertThat(bus).containsKeys("marketing_bus_ingress_requests_total", "marketing_bus_ingress_events_ignored_total",
                "marketing_bus_delivery_events_total", "marketing_bus_delivery_retries_total",
                "marketing_bus_delivery_latency_seconds", "marketing_bus_source_lag_seconds",
                "marketing_bus_batch_call_size", "marketing_bus_breaker_state", "marketing_bus_consumer_lag",
                "marketing_bus_ga4_sync_accuracy");
        for (Family family : bus.values()) {
            assertThat(family.help()).as("HELP of %s", family.name()).hasSize(1);
            assertThat(family.help().get(0)).as("HELP of %s", family.name()).isNotBlank();
            assertThat(family.type()).as("TYPE of %s", family.name()).hasSize(1);
            if (family.type().get(0).equals("counter")) {
                assertThat(family.name()).as("a counter's name").endsWith("_total");
            } else {
                assertThat(family.name()).as("only counters end in _total").doesNotEndWith("_total");
            }
            if (family.type().get(0).equals("histogram")) {
                assertThat(family.name()).as("a duration histogram is in seconds").endsWith("_seconds");
            }
            assertThat(NON_BASE_UNITS.matcher(family.name()).find()).as("units of %s", family.name()).isFalse();
            for (String sample : family.samples()) {
                Matcher m = SAMPLE.matcher(sample);
                assertThat(m.find()).as("sample line %s", sample).isTrue();
                assertThat(m.group(1)).as("sample of %s", family.name()).startsWith(family.name());
                if (m.group(2) != null) {
                    assertThat(m.group(2)).as("label names are snake_case").doesNotContainPattern("[{,][a-z]+[A-Z]");
                }
            }
        }
        // no family declared twice
        long declared = atStart.lines().filter(l -> l.startsWith("# TYPE marketing_bus_")).count();
        assertThat(declared).isEqualTo(bus.size());
    }

    @Test
    void everyFamilyExistsAtZeroForEveryDestinationAndPlatformFromTheStart() {
        for (String destination : DESTINATIONS) {
            String d = "destination=\"" + destination + "\"";
            for (String outcome : List.of("delivered", "skipped", "dead_lettered")) {
                assertThat(atStart).contains("marketing_bus_delivery_events_total{" + d + ",outcome=\"" + outcome + "\"} 0.0");
            }
            assertThat(atStart).contains("marketing_bus_delivery_retries_total{" + d + "} 0.0")
                    .contains("marketing_bus_delivery_latency_seconds_count{" + d + "} 0")
                    .contains("marketing_bus_source_lag_seconds_count{" + d + "} 0")
                    .contains("marketing_bus_batch_call_size_count{" + d + "} 0")
                    .contains("marketing_bus_breaker_state{" + d + "} 0.0");
        }
        for (String group : GROUPS) {
            assertThat(atStart).contains("marketing_bus_consumer_lag{group=\"marketing-bus." + group + "\"} 0.0");
        }
        assertThat(atStart)
                .contains("marketing_bus_ingress_requests_total{outcome=\"validated\",platform=\"mailchimp\",status=\"200\"} 0.0")
                .contains("marketing_bus_ingress_requests_total{outcome=\"accepted\",platform=\"mailchimp\",status=\"200\"} 0.0")
                .contains("marketing_bus_ingress_requests_total{outcome=\"ignored\",platform=\"mailchimp\",status=\"200\"} 0.0")
                .contains("marketing_bus_ingress_requests_total{outcome=\"accepted\",platform=\"hubspot\",status=\"200\"} 0.0")
                .contains("marketing_bus_ingress_requests_total{outcome=\"accepted\",platform=\"ga4\",status=\"204\"} 0.0");
        for (String platform : List.of("mailchimp", "hubspot", "ga4")) {
            String p = "platform=\"" + platform + "\"";
            assertThat(atStart)
                    .contains("marketing_bus_ingress_requests_total{outcome=\"rejected\"," + p + ",status=\"400\"} 0.0")
                    .contains("marketing_bus_ingress_requests_total{outcome=\"rejected\"," + p + ",status=\"401\"} 0.0")
                    .contains("marketing_bus_ingress_requests_total{outcome=\"unavailable\"," + p + ",status=\"503\"} 0.0")
                    .contains("marketing_bus_ingress_events_ignored_total{" + p + "} 0.0");
        }
        assertThat(atStart).contains("# TYPE marketing_bus_ga4_sync_accuracy gauge");
        // the sandbox is not an ingress platform
        assertThat(atStart).doesNotContain("platform=\"sandbox");
    }

    @Test
    void deliveryLatencyStartsAtAcceptanceAndTheSourcesLagIsMeasuredApart() throws Exception {
        // the README's example: Mailchimp's fired_at is months before the bus receives it
        String form = "type=subscribe&fired_at=2026-01-15+09%3A31%3A07&data%5Bid%5D=11bdbce20ae820532b1a7dfbbcae11a7"
                + "&data%5Bemail%5D=lucia.martin%40example.com&data%5Bmerges%5D%5BFNAME%5D=Lucia"
                + "&data%5Blist_id%5D=a6b5da1054";
        long before = System.currentTimeMillis();
        assertThat(bus.postForm("/webhooks/mailchimp/sandbox", form).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(),
                "marketing_bus_delivery_latency_seconds_count{destination=\"hubspot\"}") == 1);
        double elapsed = (System.currentTimeMillis() - before) / 1000.0;
        String metrics = scrape();

        double latency = value(metrics, "marketing_bus_delivery_latency_seconds_sum{destination=\"hubspot\"}");
        assertThat(latency).isPositive().isLessThanOrEqualTo(elapsed);
        // it falls in a bucket of at most 30 s, not only in +Inf
        assertThat(smallestBucketHolding(metrics, "marketing_bus_delivery_latency_seconds_bucket{destination=\"hubspot\","))
                .isLessThanOrEqualTo(30);

        double firedAt = java.time.Instant.parse("2026-01-15T09:31:07Z").getEpochSecond();
        double sourceLag = value(metrics, "marketing_bus_source_lag_seconds_sum{destination=\"hubspot\"}");
        assertThat(sourceLag).isBetween(before / 1000.0 - firedAt - 1, System.currentTimeMillis() / 1000.0 - firedAt);
        assertThat(value(metrics, "marketing_bus_source_lag_seconds_bucket{destination=\"hubspot\",le=\"86400.0\"}"))
                .isZero();
    }

    /** The upper bound of the first cumulative bucket that holds an observation. */
    static double smallestBucketHolding(String exposition, String prefix) {
        Pattern bucket = Pattern.compile(Pattern.quote(prefix) + "le=\"([^\"]+)\"} (\\S+)");
        double smallest = Double.POSITIVE_INFINITY;
        for (String line : exposition.split("\n")) {
            Matcher m = bucket.matcher(line);
            if (m.find() && Double.parseDouble(m.group(2)) >= 1) {
                smallest = Math.min(smallest, m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
                        : Double.parseDouble(m.group(1)));
            }
        }
        return smallest;
    }

    static double value(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}

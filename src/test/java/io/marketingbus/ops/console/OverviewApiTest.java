package io.marketingbus.ops.console;

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
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview and KPI APIs on a running bus: webhooks in, a refused one, a dead letter (the sandbox HubSpot answers
 * 400 once), then the counts, reasons, samples and KPIs the console shows, and the same KPIs on /observe/metrics.
 */
class OverviewApiTest {

    static final String TOKEN = "sandbox-admin";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    static String delivered;
    static String deadLettered;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of());
        delivered = MAPPER.readTree(bus.postForm("/webhooks/mailchimp/sandbox",
                Samples.text("mailchimp-subscribe.form")).body()).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> overview("1h").toString().contains("\"delivered\":1"));
        assertThat(bus.post("/sandbox/faults/hubspot", "application/json", "{\"status\":400,\"times\":1}").statusCode())
                .isLessThan(300);
        deadLettered = MAPPER.readTree(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")
                .replace("lucia.martin", "pablo.ruiz").replace("11bdbce20ae820532b1a7dfbbcae11a7",
                        "22bdbce20ae820532b1a7dfbbcae11a8")).body()).get("id").asText();
        assertThat(bus.postForm("/webhooks/mailchimp/sandbox", "type=subscribe&fired_at=yesterday").statusCode())
                .isEqualTo(400);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    static HttpResponse<String> get(String path, boolean signedIn) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bus.managementUrl(path)));
        if (signedIn) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode overview(String window) throws Exception {
        return MAPPER.readTree(get("/console/api/overview?window=" + window, true).body());
    }

    static JsonNode row(JsonNode overview, String flow, String destination) {
        for (JsonNode row : overview.get("rows")) {
            if (row.get("flow").asText().equals(flow) && row.get("destination").asText().equals(destination)) {
                return row;
            }
        }
        return null;
    }

    @Test
    void theOverviewCountsReceivedRejectedDeliveredAndDeadLetteredWithReasons() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode hubspot = row(overview("1h"), "contacts", "hubspot");
            return hubspot != null && hubspot.get("deadLettered").asLong() == 1;
        });
        JsonNode overview = overview("1d");
        JsonNode ingress = row(overview, "contacts", "ingress:mailchimp");
        assertThat(ingress.get("received").asLong()).isEqualTo(2);
        assertThat(ingress.get("pending").isNull()).isTrue();
        JsonNode refused = row(overview, Flows.UNPARSED, "ingress:mailchimp");
        assertThat(refused.get("rejected").asLong()).isEqualTo(1);
        assertThat(refused.get("reasons").get("rejected").fieldNames().next()).startsWith("400 ").contains("yesterday");
        JsonNode hubspot = row(overview, "contacts", "hubspot");
        assertThat(hubspot.get("delivered").asLong()).isEqualTo(1);
        assertThat(hubspot.get("reasons").get("deadLettered").toString()).contains("400");
        assertThat(hubspot.get("p50Ms").asLong()).isPositive();
        assertThat(hubspot.get("p95Ms").asLong()).isGreaterThanOrEqualTo(hubspot.get("p50Ms").asLong());
        assertThat(hubspot.get("breaker").asText()).isEqualTo("closed");
        assertThat(hubspot.get("pending").asLong()).isZero();
        // nothing unmasked anywhere in the answer
        assertThat(overview.toString()).doesNotContain("lucia.martin@", "pablo.ruiz@");
    }

    /** Sources whose events are published in a splitter (the GA4 relay, batch webhooks, polls) are received too. */
    @Test
    void theGa4RelaysHitAndPurchaseAreReceived() throws Exception {
        assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json",
                io.marketingbus.support.Ga4Hits.purchaseByEmail("nora.diaz@example.com", "T-OVERVIEW-1", 42.0).toString())
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode overview = overview("1h");
            JsonNode hits = row(overview, "analytics", "ingress:ga4");
            JsonNode purchases = row(overview, "purchases", "ingress:ga4");
            assertThat(hits).as("the relayed hit's row").isNotNull();
            assertThat(hits.get("received").asLong()).isEqualTo(1);
            assertThat(purchases).as("the relayed purchase's row").isNotNull();
            assertThat(purchases.get("received").asLong()).isEqualTo(1);
        });
    }

    @Test
    void aNumberOpensItsSampleEvents() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/console/api/overview/samples?flow=contacts"
                + "&destination=hubspot&outcome=deadLettered", true).body().contains(deadLettered));
        JsonNode samples = MAPPER.readTree(get("/console/api/overview/samples?flow=contacts&destination=hubspot"
                + "&outcome=delivered&window=7d", true).body()).get("samples");
        assertThat(samples.findValuesAsText("eventId")).containsExactly(delivered);
        assertThat(samples.get(0).get("type").asText()).isEqualTo("marketing.contact.subscribed");
        JsonNode rejected = MAPPER.readTree(get("/console/api/overview/samples?flow=unparsed&destination=ingress:mailchimp"
                + "&outcome=rejected", true).body()).get("samples");
        assertThat(rejected.get(0).get("eventId").asText()).startsWith("rej-");
    }

    @Test
    void theApiIsForSignedInOperatorsWithKnownWindows() throws Exception {
        assertThat(get("/console/api/overview", false).statusCode()).isEqualTo(401);
        assertThat(get("/console/api/kpis", false).statusCode()).isEqualTo(401);
        assertThat(get("/console/api/overview/samples?flow=contacts&destination=hubspot&outcome=delivered", false)
                .statusCode()).isEqualTo(401);
        assertThat(get("/console/api/overview?window=2h", true).statusCode()).isEqualTo(400);
        assertThat(get("/console/api/overview/samples?flow=contacts&destination=hubspot&outcome=lost", true)
                .statusCode()).isEqualTo(400);
    }

    @Test
    void theKpisComeFromWhatWasMeasuredWithTargetsAndTrends() throws Exception {
        // health is sampled every 10 s once the bus has started
        await().atMost(Duration.ofSeconds(40)).until(() -> kpi("integration_success_rate", "crm").get("value").isNumber()
                && kpi("api_uptime", "all").get("value").isNumber());
        JsonNode success = kpi("integration_success_rate", "crm");
        assertThat(success.get("value").asDouble()).isEqualTo(0.5);
        assertThat(success.get("met").asBoolean()).isFalse();
        assertThat(success.get("target").asDouble()).isEqualTo(0.99);
        assertThat(success.get("from").get("delivered").asLong()).isEqualTo(1);
        JsonNode uptime = kpi("api_uptime", "all");
        assertThat(uptime.get("value").asDouble()).isEqualTo(1.0);
        assertThat(uptime.get("from").get("samples").asLong()).isPositive();
        JsonNode latency = kpi("api_latency", "all");
        assertThat(latency.get("value").asDouble()).isPositive();
        assertThat(latency.get("from").get("answers").asLong()).isGreaterThanOrEqualTo(3);
        // (1 dead letter + 1 rejection) / (2 received + 1 delivered + 1 dead letter + 1 rejection)
        assertThat(kpi("error_rate", "all").get("value").asDouble()).isCloseTo(2 / 5.0, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode kpis = MAPPER.readTree(get("/console/api/kpis?window=1d", true).body());
        assertThat(kpis.get("times")).hasSize(24);
        assertThat(kpis.get("kpis").get(0).get("trend")).hasSize(24);

        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(bus.managementUrl("/observe/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("# HELP marketing_bus_kpi_integration_success_rate ",
                "marketing_bus_kpi_integration_success_rate{type=\"crm\"} 0.5",
                "# HELP marketing_bus_kpi_api_latency_seconds ", "marketing_bus_kpi_api_uptime{type=\"all\"} 1.0");
    }

    static JsonNode kpi(String id, String type) throws Exception {
        for (JsonNode kpi : MAPPER.readTree(get("/console/api/kpis?window=1h", true).body()).get("kpis")) {
            if (kpi.get("id").asText().equals(id) && kpi.get("type").asText().equals(type)) {
                return kpi;
            }
        }
        throw new AssertionError("no KPI " + id + " of " + type);
    }
}

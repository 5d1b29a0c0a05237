package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
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

/** What operators read on the management port: health, Prometheus metrics, JMX over HTTP (Jolokia). */
class OperationsTest {

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("bus.metrics.lag-interval-seconds", "1"));
        assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> bus.get("/sandbox/hubspot/contacts").body().contains("lucia"));
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    JsonNode getJson(String url) throws Exception {
        return mapper.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    }

    String getText(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void healthSaysLiveAndReadyWithEveryConsumerChecked() throws Exception {
        assertThat(getJson(bus.managementUrl("/observe/health/live")).get("status").asText()).isEqualTo("UP");
        assertThat(getJson(bus.managementUrl("/observe/health/ready")).get("status").asText()).isEqualTo("UP");
        JsonNode full = getJson(bus.managementUrl("/observe/health?exposureLevel=full"));
        assertThat(full.get("checks").toString()).contains("route:deliver-subscriptions-to-hubspot")
                .contains("route:deliver-opportunities-to-facebook").contains("consumer:deliver-subscriptions-to-hubspot");
    }

    @Test
    void prometheusMetricsCoverIngressDeliveryLatencyAndLag() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(getText(bus.managementUrl("/observe/metrics")))
                .contains("marketing_bus_consumer_lag{group=\"marketing-bus.marketing.subscriptions.hubspot\"}"));
        String metrics = getText(bus.managementUrl("/observe/metrics"));
        assertThat(metrics).contains("marketing_bus_ingress_requests_total{outcome=\"accepted\",platform=\"mailchimp\",status=\"200\"}")
                .contains("marketing_bus_delivery_events_total{destination=\"hubspot\",outcome=\"delivered\"}")
                .contains("marketing_bus_delivery_latency_seconds_bucket{destination=\"hubspot\"")
                .contains("camel_exchanges_total");
        // Camel's route timings: the ingress and the delivery routes have them, the routes run once per event do not
        assertThat(metrics).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"subscription-ingest-mailchimp\"")
                .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"deliver-subscriptions-to-hubspot\"")
                .doesNotContain("routeId=\"deliver-subscriptions-to-hubspot-item\"")
                .doesNotContain("routeId=\"subscription-to-hubspot\"");
        // and an event's unit of work skips Camel's MDC keys (EventUnitsOfWork), the bus's installed
        assertThat(org.apache.camel.support.PluginHelper.getUnitOfWorkFactory(bus.context()))
                .isInstanceOf(io.marketingbus.delivery.EventUnitsOfWork.class);
    }

    @Test
    void anOperatorCanAskWhereAnEventWent() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String id = mapper.readTree(bus.postForm("/webhooks/mailchimp/sandbox",
                Samples.text("mailchimp-profile.form")).body()).get("id").asText();
        java.net.http.HttpRequest.Builder lookup = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(bus.managementUrl("/admin/events/" + id)));

        await().atMost(Duration.ofSeconds(30)).until(() -> http.send(lookup.copy()
                .header("Authorization", "Bearer sandbox-admin").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("\"delivered\""));
        JsonNode story = mapper.readTree(http.send(lookup.copy().header("Authorization", "Bearer sandbox-admin").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(story.get("records").findValuesAsText("outcome")).containsExactly("accepted", "delivered");
        assertThat(story.get("records").get(1).get("stage").asText()).isEqualTo("hubspot");

        assertThat(http.send(lookup.copy().build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(401);
        assertThat(http.send(lookup.copy().header("Authorization", "Bearer guess").build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(bus.managementUrl("/admin/events/mc-none")))
                .header("Authorization", "Bearer sandbox-admin").build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        // never on the public webhook port
        assertThat(bus.get("/admin/events/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void jolokiaReadsARoutesCountersOverHttp() throws Exception {
        JsonNode read = getJson(bus.managementUrl("/observe/jolokia/read/org.apache.camel:context=marketing-bus,type=routes,"
                + "name=%22subscription-ingest-mailchimp%22/ExchangesCompleted"));
        assertThat(read.get("status").asInt()).isEqualTo(200);
        assertThat(read.get("value").asLong()).isGreaterThanOrEqualTo(1);
        // watching only: no MBean operation over HTTP (jolokia-access.xml)
        String stop = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(bus.managementUrl("/observe/jolokia/"))).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=marketing-bus,type=routes,"
                        + "name=\\\"subscription-ingest-mailchimp\\\"\",\"operation\":\"stop()\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(stop).contains("forbidden");
        assertThat(bus.get("/webhooks/mailchimp/sandbox").statusCode()).isEqualTo(200);
    }
}

package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.ManagementCrawl;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an unauthenticated client can learn and do on the management port: no secret, however it was given (a
 * {@code -D} system property, an environment-like override, a properties file), is readable anywhere; Hawtio's
 * read-only operations answer and nothing that changes state does; the port listens on loopback only.
 */
class ManagementExposureTest {

    // distinctive values, so that finding one anywhere means it leaked
    static final String SYSTEM_PROPERTY_SECRET = "dprop-hubspot-token-7f3a91c2e4b8d605";
    static final String SYSTEM_PROPERTY_CLIENT_SECRET = "dprop-hubspot-client-3e5d7c9b1a2f4860";
    static final String OVERRIDE_SECRET = "envlike-facebook-token-2b8e4f6a1c9d3075";
    static final String OVERRIDE_WEBHOOK_SECRET = "envlike-mailchimp-path-6d1f8a3c5e7b9024";
    static final String OVERRIDE_ADMIN_TOKEN = "envlike-admin-token-4a6c8e0b2d1f3957";
    static final String FILE_SECRET = "file-googleads-token-9c4d2e7f1a3b5086";
    static final String FILE_GA4_SECRET = "file-ga4-apisecret-1b3d5f7a9c2e4068";
    static final List<String> SECRETS = List.of(SYSTEM_PROPERTY_SECRET, SYSTEM_PROPERTY_CLIENT_SECRET, OVERRIDE_SECRET,
            OVERRIDE_WEBHOOK_SECRET, OVERRIDE_ADMIN_TOKEN, FILE_SECRET, FILE_GA4_SECRET);
    static final String CONTEXT = "org.apache.camel:context=marketing-bus,type=context,name=\"marketing-bus\"";
    static final String ROUTE = "org.apache.camel:context=marketing-bus,type=routes,name=\"subscription-ingest-mailchimp\"";

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("hubspot.access-token", SYSTEM_PROPERTY_SECRET);
        System.setProperty("hubspot.client-secret", SYSTEM_PROPERTY_CLIENT_SECRET);
        Path file = dataDir.resolve("operator.properties");
        Files.writeString(file, "google-ads.access-token=" + FILE_SECRET + "\nga4.api-secret=" + FILE_GA4_SECRET + "\n");
        bus = RunningBus.start(dataDir.resolve("data"), Map.of("facebook.access-token", OVERRIDE_SECRET,
                "mailchimp.webhook-secret", OVERRIDE_WEBHOOK_SECRET, "bus.admin-token", OVERRIDE_ADMIN_TOKEN), file);
        // traffic through the routes that use the secrets, so endpoints, counters and failures exist
        assertThat(bus.postForm("/webhooks/mailchimp/" + OVERRIDE_WEBHOOK_SECRET, Samples.text("mailchimp-subscribe.form"))
                .statusCode()).isEqualTo(200);
        bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=" + FILE_GA4_SECRET, "application/json",
                "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"page_view\",\"params\":{}}]}");
        await().atMost(Duration.ofSeconds(30)).until(() -> jolokiaRead(ROUTE, "ExchangesCompleted") >= 1);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("hubspot.access-token");
        System.clearProperty("hubspot.client-secret");
        if (bus != null) {
            bus.close();
        }
    }

    static long jolokiaRead(String mbean, String attribute) throws Exception {
        JsonNode read = new ObjectMapper().readTree(ManagementCrawl.post(bus.managementUrl("/observe/jolokia/"),
                "{\"type\":\"read\",\"mbean\":" + new ObjectMapper().writeValueAsString(mbean) + ",\"attribute\":\""
                        + attribute + "\"}"));
        return read.path("value").asLong(-1);
    }

    JsonNode jolokia(String json) throws Exception {
        return mapper.readTree(ManagementCrawl.post(bus.managementUrl("/observe/jolokia/"), json));
    }

    JsonNode exec(String mbean, String operation, Object... arguments) throws Exception {
        return jolokia(mapper.writeValueAsString(Map.of("type", "exec", "mbean", mbean, "operation", operation,
                "arguments", List.of(arguments))));
    }

    @Test
    void noSecretIsReadableAnywhereOnTheManagementPort() throws Exception {
        // the bus really runs with them
        assertThat(bus.context().resolvePropertyPlaceholders("{{hubspot.access-token}}")).isEqualTo(SYSTEM_PROPERTY_SECRET);
        assertThat(bus.context().resolvePropertyPlaceholders("{{google-ads.access-token}}")).isEqualTo(FILE_SECRET);
        assertThat(bus.context().resolvePropertyPlaceholders("{{facebook.access-token}}")).isEqualTo(OVERRIDE_SECRET);

        ManagementCrawl.Result crawl = ManagementCrawl.crawl(bus.managementUrl(""));

        // the crawl saw the whole JVM: Camel's routes and the JVM's own MBeans, with their values
        assertThat(crawl.mbeans()).isGreaterThan(100);
        assertThat(crawl.attributes()).isGreaterThan(1000);
        assertThat(crawl.text()).contains("subscription-ingest-mailchimp").contains("\"ExchangesCompleted\"")
                .contains(System.getProperty("java.vm.name")).contains("marketing_bus_ingress_requests_total");
        for (String secret : SECRETS) {
            assertThat(crawl.text()).as("secret %s readable on the management port: %s", secret,
                    whereFound(crawl.text(), secret)).doesNotContain(secret);
        }
    }

    /** Where a leak was found, so the failure names the MBean or endpoint at fault. */
    static List<String> whereFound(String text, String secret) {
        List<String> places = new java.util.ArrayList<>();
        for (int at = text.indexOf(secret); at >= 0 && places.size() < 20; at = text.indexOf(secret, at + 1)) {
            places.add(text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 60)));
        }
        return places;
    }

    @Test
    void theJvmArgumentsAndSystemPropertiesAreNotReadable() throws Exception {
        for (String attribute : List.of("InputArguments", "SystemProperties")) {
            JsonNode read = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"" + attribute + "\"}");
            assertThat(read.get("status").asInt()).as(attribute).isEqualTo(403);
        }
        // the rest of the runtime MBean stays readable
        JsonNode uptime = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}");
        assertThat(uptime.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void infoSaysWhatRunsButNotWhoRunsItWhereOrAsWhichProcess() throws Exception {
        String text = ManagementCrawl.get(bus.managementUrl("/observe/info"));
        JsonNode info = mapper.readTree(text);
        assertThat(info.at("/camel/name").asText()).isEqualTo("marketing-bus");
        assertThat(info.at("/camel/version").asText()).startsWith("4.");
        assertThat(info.at("/java/version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(info.findValues("user")).isEmpty();
        assertThat(info.findValues("dir")).isEmpty();
        assertThat(info.findValues("home")).isEmpty();
        assertThat(info.findValues("pid")).isEmpty();
        assertThat(text).doesNotContain(System.getProperty("user.dir")).doesNotContain(System.getProperty("user.home"))
                .doesNotContain("\"" + ProcessHandle.current().pid() + "\"").doesNotContain(":" + ProcessHandle.current().pid() + ",");
    }

    @Test
    void hawtioReadsTheRouteDiagramSourceAndStatistics() throws Exception {
        JsonNode routes = exec(CONTEXT, "dumpRoutesAsXml()");
        assertThat(routes.get("status").asInt()).as(routes.toString()).isEqualTo(200);
        assertThat(routes.get("value").asText()).contains("subscription-ingest-mailchimp")
                // placeholders stay unresolved (credentials are no longer in route files at all, but settings are)
                .contains("{{loyalty.vip-amount}}");
        assertThat(exec(ROUTE, "dumpRouteAsXml()").get("value").asText()).contains("subscription-ingest-mailchimp");
        // the connectors with a concurrent-requests throttle, which Camel's own writer cannot dump
        assertThat(exec("org.apache.camel:context=marketing-bus,type=routes,name=\"mailchimp-marketing\"", "dumpRouteAsXml()")
                .get("value").asText()).contains("ConcurrentRequests");
        assertThat(exec(CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean)", true, true).get("value").asText())
                .contains("subscription-ingest-mailchimp").contains("exchangesCompleted");
        assertThat(exec(ROUTE, "dumpRouteStatsAsXml(boolean,boolean)", true, true).get("value").asText())
                .contains("exchangesCompleted");
        assertThat(exec(CONTEXT, "dumpStepStatsAsXml(boolean)", true).get("status").asInt()).isEqualTo(200);
        assertThat(exec(ROUTE, "dumpStatsAsJSon(boolean)", true).get("status").asInt()).isEqualTo(200);
        assertThat(exec(CONTEXT, "routeIds()").get("value").toString()).contains("subscription-ingest-mailchimp");
    }

    @Test
    void nothingThatChangesStateOrResolvesASecretCanBeInvoked() throws Exception {
        long completed = jolokiaRead(ROUTE, "ExchangesCompleted");
        List<JsonNode> refused = List.of(
                exec(ROUTE, "stop()"),
                exec(CONTEXT, "suspend()"),
                exec(CONTEXT, "sendBody(java.lang.String,java.lang.Object)", "direct:nowhere", "x"),
                exec(CONTEXT, "createEndpoint(java.lang.String)", "log:x"),
                exec(ROUTE, "reset()"),
                exec(CONTEXT, "reset(boolean)", true),
                exec(ROUTE, "updateRouteFromXml(java.lang.String)", "<routes/>"),
                exec("java.lang:type=Memory", "gc()"),
                exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()"),
                // the variants that resolve placeholders print secrets
                exec(CONTEXT, "dumpRoutesAsXml(boolean)", true),
                exec(CONTEXT, "dumpRoutesAsXml"),
                exec(CONTEXT, "dumpRoutesAsYaml(boolean,boolean)", true, false),
                exec(ROUTE, "dumpRouteAsXml(boolean)", true),
                jolokia("{\"type\":\"write\",\"mbean\":" + mapper.writeValueAsString(ROUTE)
                        + ",\"attribute\":\"Tracing\",\"value\":true}"));
        for (JsonNode answer : refused) {
            assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(403);
        }
        assertThat(jolokiaRead(ROUTE, "ExchangesCompleted")).isGreaterThanOrEqualTo(completed);
        assertThat(bus.get("/webhooks/mailchimp/" + OVERRIDE_WEBHOOK_SECRET).statusCode()).isEqualTo(200);
    }

    @Test
    void theManagementPortListensOnLoopbackOnly() throws Exception {
        String url = bus.managementUrl("");
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
        Optional<InetAddress> external = nonLoopbackAddress();
        Assumptions.assumeTrue(external.isPresent(), "this host has no non-loopback IPv4 address to try");
        assertThat(connects(external.get(), port)).as("management port reachable on " + external.get()).isFalse();
        // the webhook port is public
        String webhooks = bus.url("");
        int webhookPort = Integer.parseInt(webhooks.substring(webhooks.lastIndexOf(':') + 1));
        assertThat(connects(external.get(), webhookPort)).isTrue();
    }

    static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}

package io.marketingbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged fat jar as a user would ({@code java -jar}) in a working directory of its own, so a jar with
 * unmerged service files, a missing route file or broken settings layering cannot pass. Prints what it measured.
 */
class PackagedJarIT {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path workDir;

    static Path jar() {
        Path jar = Path.of(System.getProperty("bus.jar", "target/marketing-bus.jar"));
        assertThat(jar).exists();
        return jar;
    }

    Process start(Map<String, String> env, Path log, String... jvmArgs) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(java.util.List.of(jvmArgs));
        command.addAll(java.util.List.of("-jar", jar().toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // the vendors' samples are dated January 2026: older than the default event time window
        builder.environment().put("INGRESS_EVENT_TIME_MAX_AGE_MS", RunningBus.SAMPLES_MAX_AGE_MS);
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void theJarServesFlowOneOnTheEmbeddedDefaults() throws Exception {
        int port = RunningBus.freePort();
        // a working-directory application.properties overrides the defaults inside the jar
        Files.writeString(workDir.resolve("application.properties"), "hubspot.subscriber-lifecycle-stage=lead\n");
        Path log = workDir.resolve("bus.log");
        long started = System.nanoTime();
        int managementPort = RunningBus.freePort();
        int jmxPort = RunningBus.freePort();
        // remote JMX exactly as the README documents it for JConsole and VisualVM
        Process bus = start(Map.of("CAMEL_SERVER_PORT", String.valueOf(port), "BUS_KAFKA_PORT", "0",
                "CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort),
                "MAILCHIMP_WEBHOOK_SECRET", "jar-secret-7c1d"), log,
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1");
        try {
            String webhook = "http://127.0.0.1:" + port + "/webhooks/mailchimp/jar-secret-7c1d";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> bus.isAlive() && status(HttpRequest.newBuilder(URI.create(webhook)).GET()) == 200);
            long readyMs = (System.nanoTime() - started) / 1_000_000;

            long sent = System.nanoTime();
            assertThat(status(HttpRequest.newBuilder(URI.create(webhook))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.text("mailchimp-subscribe.form"))))).isEqualTo(200);
            long acceptedMs = (System.nanoTime() - sent) / 1_000_000;
            String contacts = "http://127.0.0.1:" + port + "/sandbox/hubspot/contacts";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> contacts(contacts).get("total").asInt() == 1);
            long deliveredMs = (System.nanoTime() - sent) / 1_000_000;

            JsonNode contact = contacts(contacts).at("/results/0/properties");
            assertThat(contact.get("email").asText()).isEqualTo("lucia.martin@example.com");
            assertThat(contact.get("lifecyclestage").asText()).isEqualTo("lead");
            assertThat(contact.get("mailchimp_status").asText()).isEqualTo("subscribed");
            // the environment replaced the dev-only secret
            assertThat(status(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/mailchimp/sandbox"))
                    .GET())).isEqualTo(401);

            // a route's counters through a remote JMX connector, as JConsole reads them
            javax.management.remote.JMXServiceURL jmx = new javax.management.remote.JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (javax.management.remote.JMXConnector connector = javax.management.remote.JMXConnectorFactory.connect(jmx)) {
                Object completed = connector.getMBeanServerConnection().getAttribute(new javax.management.ObjectName(
                        "org.apache.camel:context=marketing-bus,type=routes,name=\"subscription-ingest-mailchimp\""),
                        "ExchangesCompleted");
                assertThat((Long) completed).isGreaterThanOrEqualTo(1L);
            }
            assertThat(status(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/observe/health/ready")).GET())).isEqualTo(200);

            System.out.printf("jar: %.1f MB; java -jar to ready: %d ms; webhook to 200: %d ms; webhook to HubSpot "
                    + "(sandbox) contact: %d ms%n", Files.size(jar()) / 1e6, readyMs, acceptedMs, deliveredMs);
        } finally {
            bus.destroy();
            assertThat(bus.waitFor(45, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        // the banner is read line by line: one log line per banner line, none with an escaped newline in it
        assertThat(output).containsPattern("(?m)marketing-bus - +Sandbox mode: .*$")
                .containsPattern("(?m)marketing-bus - +hubspot: +sandbox at /sandbox/hubspot$")
                .containsPattern("(?m)marketing-bus - +webhooks: .*/webhooks/hubspot.*$")
                .doesNotContain("\\n  marketing-bus");
        assertThat(output).as("no e-mail address or secret in the log")
                .doesNotContain("lucia.martin@example.com").doesNotContain("jar-secret-7c1d");
    }

    @Test
    void theJarRefusesProdWithoutItsSettingsAndNamesThem() throws Exception {
        Path log = workDir.resolve("prod.log");
        Process bus = start(Map.of("CAMEL_MAIN_PROFILE", "prod", "CAMEL_SERVER_PORT",
                String.valueOf(RunningBus.freePort()), "CAMEL_MANAGEMENT_PORT", String.valueOf(RunningBus.freePort())), log);

        assertThat(bus.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bus.exitValue()).isEqualTo(1);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).contains("HUBSPOT_ACCESS_TOKEN").contains("MAILCHIMP_WEBHOOK_SECRET")
                .contains("CAMEL_COMPONENT_KAFKA_BROKERS");
    }

    /**
     * The README's prod command, as written, against an external Kafka cluster (a broker this test starts): the jar
     * is ready and a webhook's event reaches the cluster's topic. Every platform points at a closed local port
     * instead of the vendor. Secrets are also given as -D and in a working-directory file, and none of them is
     * readable on the management port, which listens on loopback only.
     */
    @Test
    void theReadmesProdCommandRunsAgainstAnExternalBroker() throws Exception {
        try (io.marketingbus.bus.EmbeddedKafkaBroker cluster = new io.marketingbus.bus.EmbeddedKafkaBroker(
                workDir.resolve("external-kafka"), 0, 0)) {
            cluster.start();
            int port = RunningBus.freePort();
            int managementPort = RunningBus.freePort();
            String nowhere = "http://127.0.0.1:" + RunningBus.freePort();
            String webhookSecret = "5e0f3a9c1b7d2e8f4a6c0b9d3e7f1a2c";
            String dSecret = "d-admin-token-8c4e1f7a2b9d3e60";
            String fileSecret = "file-activecampaign-token-0e9d8c7b6a5f4e3d2c1b0a99f8e7d6c5b4a3f2e1d0c9b8a7";
            Map<String, String> env = new java.util.LinkedHashMap<>();
            // README, "Point it at real accounts", step 7 (a one-broker cluster: replication factor 1, not 3)
            env.put("CAMEL_MAIN_PROFILE", "prod");
            env.put("CAMEL_COMPONENT_KAFKA_BROKERS", cluster.bootstrapServers());
            env.put("BUS_TOPICS_REPLICATION_FACTOR", "1");
            env.put("HUBSPOT_ACCESS_TOKEN", "pat-eu1-6f0c2f3e-1b7a-4d2e-9c3f-8a1b2c3d4e5f");
            env.put("HUBSPOT_CLIENT_SECRET", "2b1e7c9d-4f3a-4e8b-a1c2-9d8e7f6a5b4c");
            env.put("HUBSPOT_WEBHOOK_URL", "https://bus.example.com/webhooks/hubspot");
            env.put("MAILCHIMP_WEBHOOK_SECRET", webhookSecret);
            env.put("FACEBOOK_ACCESS_TOKEN", "EAAGm0PX4ZCpsBAKZB2ZCwZBh7x9yQ1rT5uVwXyZaBcDeFgHiJkLmN");
            env.put("FACEBOOK_AUDIENCE_ID", "23847239012340071");
            env.put("FACEBOOK_PIXEL_ID", "1188244410920001");
            env.put("GOOGLE_ADS_OAUTH_CLIENT_ID", "118233004512-k3j5h7g9f1d3s5a7q9w1e3r5t7y9u1i3.apps.googleusercontent.com");
            env.put("GOOGLE_ADS_OAUTH_CLIENT_SECRET", "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");
            env.put("GOOGLE_ADS_OAUTH_REFRESH_TOKEN", "1//0gH7kLmN9pQrStUvWxYz-L9Ir8AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf");
            env.put("GOOGLE_ADS_DEVELOPER_TOKEN", "Xq8Hc3vR9tLm2Kp7Wn4ZsA");
            env.put("GOOGLE_ADS_CUSTOMER_ID", "5293047716");
            env.put("GOOGLE_ADS_USER_LIST_ID", "7014628837");
            env.put("GA4_MEASUREMENT_ID", "G-7Q2X9LKM4B");
            env.put("GA4_API_SECRET", "kP3rT8vQ_x2NcW5yZ1a-Bq");
            env.put("GA4_PROPERTY_ID", "412883901");
            env.put("GA4_OAUTH_CLIENT_ID", "118233004512-a1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6.apps.googleusercontent.com");
            env.put("GA4_OAUTH_CLIENT_SECRET", "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");
            env.put("GA4_OAUTH_REFRESH_TOKEN", "1//0gA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU1vW2xY3zA4bC5dE6fG7hI8jK9l");
            env.put("MAILCHIMP_API_KEY", "3f8a1c0e9b7d6a5f4e3d2c1b0a9f8e7d-us21");
            env.put("MAILCHIMP_LIST_ID", "b7c2e91d3f");
            // this test's: ports, and no vendor reached
            env.put("CAMEL_SERVER_PORT", String.valueOf(port));
            env.put("CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort));
            for (String platform : java.util.List.of("HUBSPOT", "FACEBOOK", "GOOGLE_ADS", "GA4", "MAILCHIMP")) {
                env.put(platform + "_BASE_URL", nowhere);
            }
            env.put("GA4_DATA_API_URL", nowhere);
            env.put("GOOGLE_ADS_OAUTH_TOKEN_URL", nowhere);
            env.put("GA4_OAUTH_TOKEN_URL", nowhere);
            // the other two ways of giving a secret: the command line and a file
            Files.writeString(workDir.resolve("application.properties"), "activecampaign.api-token=" + fileSecret + "\n");
            Path log = workDir.resolve("prod.log");
            Process bus = start(env, log, "-Dbus.admin-token=" + dSecret);
            try {
                String ready = "http://127.0.0.1:" + managementPort + "/observe/health/ready";
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> bus.isAlive() && status(HttpRequest.newBuilder(URI.create(ready)).GET()) == 200
                                || !bus.isAlive());
                assertThat(bus.isAlive()).as(Files.readString(log, StandardCharsets.UTF_8)).isTrue();

                assertThat(status(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/mailchimp/"
                        + webhookSecret)).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Samples.text("mailchimp-subscribe.form"))))).isEqualTo(200);
                java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> events =
                        io.marketingbus.support.Topics.readAll(cluster.bootstrapServers(), "marketing.subscriptions");
                assertThat(events).hasSize(1);
                assertThat(io.marketingbus.support.Topics.value(events.get(0))).contains("marketing.contact.subscribed");

                String management = "http://127.0.0.1:" + managementPort;
                io.marketingbus.support.ManagementCrawl.Result crawl = io.marketingbus.support.ManagementCrawl.crawl(management);
                assertThat(crawl.mbeans()).isGreaterThan(100);
                for (String secret : java.util.List.of(webhookSecret, dSecret, fileSecret, env.get("HUBSPOT_ACCESS_TOKEN"),
                        env.get("HUBSPOT_CLIENT_SECRET"), env.get("GOOGLE_ADS_DEVELOPER_TOKEN"), env.get("GA4_API_SECRET"),
                        env.get("MAILCHIMP_API_KEY"), env.get("GOOGLE_ADS_OAUTH_CLIENT_SECRET"),
                        env.get("GOOGLE_ADS_OAUTH_REFRESH_TOKEN"), env.get("GA4_OAUTH_CLIENT_SECRET"),
                        env.get("GA4_OAUTH_REFRESH_TOKEN"))) {
                    assertThat(crawl.text()).as("secret readable on the management port").doesNotContain(secret);
                }
                java.util.Optional<java.net.InetAddress> external = java.util.Collections.list(
                        java.net.NetworkInterface.getNetworkInterfaces()).stream().filter(nic -> !nic.getName().startsWith("lo"))
                        .flatMap(nic -> java.util.Collections.list(nic.getInetAddresses()).stream())
                        .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst();
                if (external.isPresent()) {
                    assertThat(status(HttpRequest.newBuilder(URI.create("http://" + external.get().getHostAddress() + ":"
                            + managementPort + "/observe/health")).GET())).as("management on " + external.get()).isEqualTo(-1);
                }
            } finally {
                bus.destroy();
                // every platform is unreachable here, so a delivery is retrying when SIGTERM comes: the stop takes
                // camel.main.shutdown-timeout (30 s) before it forces the consumers down
                assertThat(bus.waitFor(90, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output).contains("profile prod").contains("external brokers " + cluster.bootstrapServers())
                    .doesNotContain(webhookSecret).doesNotContain(dSecret).doesNotContain(fileSecret);
        }
    }

    static int status(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    JsonNode contacts(String url) throws Exception {
        return mapper.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

}

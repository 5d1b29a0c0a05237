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
        assertThat(output).contains("Sandbox mode").contains("hubspot:   sandbox");
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

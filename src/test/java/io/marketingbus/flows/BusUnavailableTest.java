package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.marketingbus.bus.BusTopics;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an external Kafka (here a broker the test owns) that goes away, webhooks get 503 so the platform keeps the
 * event and retries; when Kafka is back, webhooks are accepted again.
 */
class BusUnavailableTest {

    @TempDir
    Path brokerDir;
    @TempDir
    Path busDir;

    /** A tracking API batch (dev write key), as analytics-node sends it. */
    static final String TRACKED = "{\"batch\":[{\"type\":\"track\",\"event\":\"Outage Survived\",\"userId\":\"user-1\","
            + "\"messageId\":\"node-next-outage-1\"}],\"sentAt\":null}";

    @Test
    void webhooksGet503WhileKafkaIsDownAnd200WhenItIsBack() throws Exception {
        int kafkaPort = RunningBus.freePort();
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(brokerDir, kafkaPort, 0);
        kafka.start();
        String subscribe = Samples.text("mailchimp-subscribe.form");
        try (RunningBus bus = RunningBus.start(busDir, Map.of(
                "camel.component.kafka.brokers", kafka.bootstrapServers(),
                "mailchimp.webhook-secret", "down-secret",
                "hubspot.subscriptions.enabled", "false"))) {
            assertThat(bus.postForm("/webhooks/mailchimp/down-secret", subscribe).statusCode()).isEqualTo(200);

            kafka.stop();
            HttpResponse<String> whileDown = bus.postForm("/webhooks/mailchimp/down-secret",
                    subscribe.replace("09%3A31%3A07", "09%3A31%3A09"));

            assertThat(whileDown.statusCode()).isEqualTo(503);
            assertThat(whileDown.headers().firstValue("Retry-After")).isPresent();
            assertThat(whileDown.body()).contains("retry later").doesNotContain("Exception");
            // the tracking API too: a call Kafka did not take is 503, and is not remembered as accepted
            HttpResponse<String> trackingWhileDown = bus.post("/v1/batch", "application/json", TRACKED,
                    Map.of("Authorization", "Basic ZGV2LXdyaXRlLWtleTo="));
            assertThat(trackingWhileDown.statusCode()).isEqualTo(503);
            assertThat(trackingWhileDown.headers().firstValue("Retry-After")).isPresent();
            // readiness follows: an orchestrator stops sending traffic to a bus that cannot reach Kafka
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> readiness(bus) == 503);

            kafka = new EmbeddedKafkaBroker(brokerDir, kafkaPort, 0);
            kafka.start();
            HttpResponse<String> afterwards = bus.postForm("/webhooks/mailchimp/down-secret",
                    subscribe.replace("09%3A31%3A07", "09%3A31%3A11"));
            assertThat(afterwards.statusCode()).isEqualTo(200);
            assertThat(bus.post("/v1/batch", "application/json", TRACKED,
                    Map.of("Authorization", "Basic ZGV2LXdyaXRlLWtleTo=")).statusCode()).isEqualTo(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> readiness(bus) == 200);
            // 200 means on Kafka: both accepted events are there, the refused one is not
            assertThat(Topics.readAll(kafka.bootstrapServers(), "marketing.subscriptions")).hasSize(2);
            // the retried tracking call is on Kafka once: the 503 had not filled the tracking API's dedup memory
            assertThat(Topics.readAll(kafka.bootstrapServers(), "marketing.analytics-hits").stream()
                    .filter(r -> Topics.value(r).contains("/tracking/web"))).hasSize(1);
        } finally {
            kafka.stop();
        }
    }

    static int readiness(RunningBus bus) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(bus.managementUrl("/observe/health/ready"))).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void topicsAreCreatedOnAnExternalBrokerWithTheConfiguredPartitions() throws Exception {
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(brokerDir, 0, 0)) {
            kafka.start();
            BusTopics.ensure(kafka.bootstrapServers(), List.of(new BusTopics.Topic("t.one", 3, Map.of())), (short) 1);
            BusTopics.ensure(kafka.bootstrapServers(), List.of(new BusTopics.Topic("t.one", 3, Map.of())), (short) 1);
            try (var admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of("t.one")).allTopicNames().get().get("t.one").partitions())
                        .hasSize(3);
            }
        }
    }
}

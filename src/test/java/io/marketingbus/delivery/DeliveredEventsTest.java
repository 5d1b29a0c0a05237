package io.marketingbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.marketingbus.bus.BusProducers;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivered ids: one record per batch, read back by a new instance, the old one-id-per-record format still read. */
class DeliveredEventsTest {

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new EmbeddedKafkaBroker(dir, 0, 0);
        kafka.start();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic("t.batch.delivered", 1, (short) 1),
                    new NewTopic("t.legacy.delivered", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.stop();
    }

    @Test
    void aBatchIsOneRecordPerThousandIdsAndANewInstanceKnowsThemAll() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            ids.add("mc-" + i);
        }
        DeliveredEvents first = new DeliveredEvents(null, kafka.bootstrapServers(), 10_000);
        first.start();
        try {
            assertThat(first.contains("t.batch.delivered", "mc-7")).isFalse();
            assertThat(first.recordAll("t.batch.delivered", ids)).isEmpty();
            assertThat(first.contains("t.batch.delivered", "mc-7")).isTrue();
        } finally {
            first.stop();
        }
        assertThat(Topics.readAll(kafka.bootstrapServers(), "t.batch.delivered")).hasSize(3);
        assertThat(Topics.deliveredIds(kafka.bootstrapServers(), "t.batch.delivered")).containsExactlyElementsOf(ids);

        DeliveredEvents restarted = new DeliveredEvents(null, kafka.bootstrapServers(), 10_000);
        restarted.start();
        DeliveredEvents other = new DeliveredEvents(null, kafka.bootstrapServers(), 10_000);
        other.start();
        try {
            assertThat(restarted.contains("t.batch.delivered", "mc-0")).isTrue();
            assertThat(restarted.contains("t.batch.delivered", "mc-2499")).isTrue();
            assertThat(restarted.contains("t.batch.delivered", "mc-2500")).isFalse();
            // what another instance delivers later is learnt from the topic
            assertThat(other.contains("t.batch.delivered", "mc-9000")).isFalse();
            assertThat(restarted.recordAll("t.batch.delivered", List.of("mc-9000"))).isEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> other.contains("t.batch.delivered", "mc-9000"));
        } finally {
            restarted.stop();
            other.stop();
        }
    }

    @Test
    void idsWrittenOneRecordEachByEarlierVersionsAreStillKnown() throws Exception {
        try (KafkaProducer<String, String> producer = BusProducers.reliableStrings(kafka.bootstrapServers(), 1)) {
            producer.send(new ProducerRecord<>("t.legacy.delivered", "hs-1", "add")).get();
            producer.send(new ProducerRecord<>("t.legacy.delivered", "hs-2", "add")).get();
            producer.send(new ProducerRecord<>("t.legacy.delivered", "hs-2", "remove")).get();
        }
        DeliveredEvents delivered = new DeliveredEvents(null, kafka.bootstrapServers(), 100);
        delivered.start();
        try {
            assertThat(delivered.contains("t.legacy.delivered", "hs-1")).isTrue();
            assertThat(delivered.contains("t.legacy.delivered", "hs-2")).isFalse();
            assertThat(DeliveredEvents.idsIn("k", "{\"ids\":[\"a\",\"b\"]}", new com.fasterxml.jackson.databind.ObjectMapper()))
                    .containsExactly("a", "b");
            assertThat(DeliveredEvents.idsIn("k", "not json {", new com.fasterxml.jackson.databind.ObjectMapper())).isEmpty();
        } finally {
            delivered.stop();
        }
    }
}

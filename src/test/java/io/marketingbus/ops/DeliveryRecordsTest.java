package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery records: many notes share one Kafka record; records of the one-note format are still read. */
class DeliveryRecordsTest {

    @TempDir
    Path dir;

    @Test
    void notesShareRecordsAndEveryNoteIsIndexedAndHandedToListeners() throws Exception {
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dir, 0, 0)) {
            kafka.start();
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(config)) {
                admin.createTopics(List.of(new NewTopic("records", 2, (short) 1))).all().get();
            }
            // a note written by an earlier version: one record, keyed by its event id
            try (KafkaProducer<String, String> old = new KafkaProducer<>(props(kafka))) {
                old.send(new ProducerRecord<>("records", "mc-old",
                        "{\"eventId\":\"mc-old\",\"stage\":\"hubspot\",\"outcome\":\"delivered\"}")).get();
            }
            DeliveryRecords records = new DeliveryRecords(kafka.bootstrapServers(), "records", 10_000);
            List<JsonNode> live = new CopyOnWriteArrayList<>();
            records.addListener(live::add);
            records.start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> !records.lookup("mc-old").isEmpty());
                for (int i = 0; i < 450; i++) {
                    records.record("mc-" + i, "marketing.contact.subscribed", "/mailchimp", "hubspot", "delivered", null,
                            "deliver-subscriptions-to-hubspot");
                }
                records.flush();
                await().atMost(Duration.ofSeconds(20)).until(() -> live.size() == 450);
                assertThat(records.lookup("mc-449")).singleElement()
                        .satisfies(n -> assertThat(n.get("outcome").asText()).isEqualTo("delivered"));
                assertThat(records.lookup("mc-old")).hasSize(1);
            } finally {
                records.stop();
            }
            var written = Topics.readAll(kafka.bootstrapServers(), "records");
            int notes = 0;
            for (var record : written) {
                notes += DeliveryRecords.notesIn(record.value(), new ObjectMapper()).size();
            }
            assertThat(notes).isEqualTo(451);
            // 450 notes in 200-note records (a timer flush in between may cut one more), not 450 records
            assertThat(written.size()).isBetween(1 + 3, 1 + 5);
            assertThat(written).filteredOn(r -> new String(r.value(), StandardCharsets.UTF_8).startsWith("[")).hasSizeBetween(3, 5);
        }
    }

    private static Properties props(EmbeddedKafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }
}

package io.marketingbus.ops.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.api.stream.StreamFrames;
import io.marketingbus.ops.DeadLetterReplay;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The dead letters of the cluster as an operator reads them: every {@code *.dlq} topic, its letters grouped by
 * {@code bus-dlq-reason} with counts, first and last time and a few masked samples. Bounded: only the last
 * {@code scanPerTopic} letters of each topic are read (the topic's total is its offsets' span), with a short-lived
 * consumer, so the caller runs it off the event loop.
 */
public final class DeadLetterGroups {

    static final int SAMPLES = 3;
    static final int MAX_SAMPLE = 2000;

    private final String bootstrapServers;
    private final int scanPerTopic;
    private final ObjectMapper mapper = new ObjectMapper();

    public DeadLetterGroups(String bootstrapServers, int scanPerTopic) {
        this.bootstrapServers = bootstrapServers;
        this.scanPerTopic = scanPerTopic;
    }

    /** {@code {topics: [{topic, total, scanned, groups: [{reason, count, first, last, destination, samples}]}]}}. */
    public ObjectNode read() throws Exception {
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode topics = answer.putArray("topics");
        answer.put("scanPerTopic", scanPerTopic);
        TreeSet<String> names;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            names = new TreeSet<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
        }
        names.removeIf(name -> !name.endsWith(".dlq"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
            for (String name : names) {
                topics.add(topic(consumer, name));
            }
        }
        return answer;
    }

    private ObjectNode topic(KafkaConsumer<byte[], byte[]> consumer, String name) {
        List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(name, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long total = 0;
        int share = Math.max(1, scanPerTopic / Math.max(1, partitions.size()));
        for (TopicPartition p : partitions) {
            total += end.get(p) - begin.get(p);
            consumer.seek(p, Math.max(begin.get(p), end.get(p) - share));
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        int scanned = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue;
                }
                scanned++;
                String reason = header(record, "bus-dlq-reason");
                groups.computeIfAbsent(reason == null ? "unknown" : reason, Group::new).add(record);
            }
        }
        ObjectNode topic = mapper.createObjectNode();
        topic.put("topic", name).put("total", total).put("scanned", scanned);
        ArrayNode list = topic.putArray("groups");
        groups.values().stream().sorted((a, b) -> Long.compare(b.last, a.last)).forEach(g -> list.add(g.json()));
        return topic;
    }

    private final class Group {
        final String reason;
        int count;
        long first = Long.MAX_VALUE;
        long last;
        String destination;
        final List<ConsumerRecord<byte[], byte[]>> samples = new ArrayList<>();

        Group(String reason) {
            this.reason = reason;
        }

        void add(ConsumerRecord<byte[], byte[]> record) {
            count++;
            first = Math.min(first, record.timestamp());
            last = Math.max(last, record.timestamp());
            destination = header(record, "bus-dlq-destination");
            samples.add(record);
            if (samples.size() > SAMPLES) {
                samples.remove(0); // the newest few
            }
        }

        ObjectNode json() {
            ObjectNode group = mapper.createObjectNode();
            group.put("reason", StreamFrames.maskText(reason)).put("count", count)
                    .put("first", Instant.ofEpochMilli(first).toString()).put("last", Instant.ofEpochMilli(last).toString());
            if (destination != null) {
                group.put("destination", destination);
            }
            ArrayNode list = group.putArray("samples");
            for (int i = samples.size() - 1; i >= 0; i--) {
                list.add(sample(samples.get(i)));
            }
            return group;
        }
    }

    private ObjectNode sample(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode sample = mapper.createObjectNode();
        sample.put("offset", record.partition() + ":" + record.offset())
                .put("at", Instant.ofEpochMilli(record.timestamp()).toString());
        String status = header(record, "bus-dlq-http-status");
        if (status != null) {
            sample.put("httpStatus", status);
        }
        String body = io.marketingbus.ops.DeliveryRecords.excerpt(header(record, "bus-dlq-response-body"));
        if (body != null) {
            sample.put("answer", body);
        }
        String attempts = header(record, "bus-dlq-attempts");
        if (attempts != null) {
            sample.put("attempts", attempts);
        }
        String text = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        try {
            JsonNode event = mapper.readTree(text);
            if (event != null && event.has("id")) {
                sample.put("eventId", event.get("id").asText());
            }
            String masked = StreamFrames.mask(event, null).toString();
            sample.put("event", masked.length() <= MAX_SAMPLE ? masked : masked.substring(0, MAX_SAMPLE) + "…");
        } catch (Exception e) {
            String masked = StreamFrames.maskText(text);
            sample.put("event", masked.length() <= MAX_SAMPLE ? masked : masked.substring(0, MAX_SAMPLE) + "…");
        }
        return sample;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterReplay.header(record, name);
    }

    private Properties consumerProps() {
        Properties props = DeadLetterReplay.readerProps(bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return props;
    }
}

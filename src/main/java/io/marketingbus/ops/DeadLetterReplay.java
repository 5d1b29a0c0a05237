package io.marketingbus.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.bus.BusConsumers;
import io.marketingbus.event.Identifiers;
import io.marketingbus.ingress.IngressExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends chosen dead letters back to the flow topic they came from, with their original key, bytes and headers
 * (the {@code bus-dlq-*} ones dropped, {@code bus-replayed-from} added). Every destination reading that topic sees
 * the event again; those that already delivered it skip it (delivered ids), so a replay, or the same replay twice,
 * applies each event at most once more per destination. The dead letters stay where they are.
 */
public final class DeadLetterReplay {

    /** Which dead letters: those of {@code dlq} written in [since, until), whose reason contains {@code reason}. */
    public record Selection(String dlq, Instant since, Instant until, String reason, boolean dryRun) {
    }

    private final String bootstrapServers;
    private final ObjectMapper mapper = new ObjectMapper();

    public DeadLetterReplay(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** What was (or, in a dry run, would be) replayed, as a JSON report. */
    public ObjectNode replay(Selection selection) throws InterruptedException, ExecutionException, TimeoutException {
        List<ConsumerRecord<byte[], byte[]>> chosen = new ArrayList<>();
        int scanned = 0;
        int notReplayable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
            List<TopicPartition> partitions = consumer.partitionsFor(selection.dlq(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(selection.dlq(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    scanned++;
                    if (!selected(record, selection)) {
                        continue;
                    }
                    if (header(record, "bus-dlq-source-topic") == null) {
                        notReplayable++;
                    } else {
                        chosen.add(record);
                    }
                }
            }
        }
        Map<String, Integer> byTopic = new TreeMap<>();
        chosen.forEach(r -> byTopic.merge(header(r, "bus-dlq-source-topic"), 1, Integer::sum));
        if (!selection.dryRun() && !chosen.isEmpty()) {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
                List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : chosen) {
                    sends.add(producer.send(copy(record)));
                }
                for (var send : sends) {
                    send.get(30, TimeUnit.SECONDS);
                }
            }
        }
        ObjectNode report = mapper.createObjectNode();
        report.put("dlq", selection.dlq());
        report.put("dryRun", selection.dryRun());
        report.put("scanned", scanned);
        report.put("matched", chosen.size() + notReplayable);
        report.put("replayed", selection.dryRun() ? 0 : chosen.size());
        report.put("notReplayable", notReplayable);
        ObjectNode targets = report.putObject("toTopics");
        byTopic.forEach(targets::put);
        return report;
    }

    static boolean selected(ConsumerRecord<byte[], byte[]> record, Selection selection) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (selection.since() != null && at.isBefore(selection.since())) {
            return false;
        }
        if (selection.until() != null && !at.isBefore(selection.until())) {
            return false;
        }
        String reason = header(record, "bus-dlq-reason");
        if (selection.reason() == null || selection.reason().isBlank()) {
            return true;
        }
        if (reason == null) {
            return false;
        }
        // the console shows reasons masked (e-mails, phones): a reason copied from it matches its letters too
        String wanted = selection.reason().toLowerCase();
        return reason.toLowerCase().contains(wanted)
                || Identifiers.maskPhonesIn(Identifiers.maskEmailsIn(reason)).toLowerCase().contains(wanted);
    }

    private static ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> record) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(header(record, "bus-dlq-source-topic"), null,
                record.key(), record.value());
        for (Header h : record.headers()) {
            if (!h.key().startsWith("bus-dlq-") && !h.key().equals(IngressExchange.ACCEPTED_AT_HEADER)) {
                out.headers().add(h.key(), h.value());
            }
        }
        // a replay is a new acceptance: its delivery latency starts now, not at the first attempt
        out.headers().add(IngressExchange.ACCEPTED_AT_HEADER,
                String.valueOf(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
        out.headers().add("bus-replayed-from", (record.topic() + ":" + record.partition() + ":" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** A record header's value as text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Properties consumerProps() {
        return readerProps(bootstrapServers);
    }

    /** A reader of dead letters as they are (bytes), without a group's commits: it changes nothing for anyone. */
    public static Properties readerProps(String bootstrapServers) {
        return BusConsumers.readerProps(bootstrapServers, ByteArrayDeserializer.class,
                ByteArrayDeserializer.class, null);
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return props;
    }

    /**
     * {@code java -jar marketing-bus.jar replay --dlq <topic> [--since <ISO instant>] [--until <ISO instant>]
     * [--reason <text>] [--dry-run] [--brokers <host:port,...>]}; brokers default to
     * {@code CAMEL_COMPONENT_KAFKA_BROKERS}, else the embedded broker's {@code 127.0.0.1:9092}.
     */
    public static int run(String[] args) throws Exception {
        String dlq = null;
        Instant since = null;
        Instant until = null;
        String reason = null;
        boolean dryRun = false;
        String brokers = System.getenv().getOrDefault("CAMEL_COMPONENT_KAFKA_BROKERS", "127.0.0.1:9092");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--dlq" -> dlq = args[++i];
                case "--since" -> since = Instant.parse(args[++i]);
                case "--until" -> until = Instant.parse(args[++i]);
                case "--reason" -> reason = args[++i];
                case "--dry-run" -> dryRun = true;
                case "--brokers" -> brokers = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (dlq == null) {
            System.err.println("usage: java -jar marketing-bus.jar replay --dlq <topic> [--since <instant>] "
                    + "[--until <instant>] [--reason <text>] [--dry-run] [--brokers <host:port>]");
            return 2;
        }
        System.out.println(new DeadLetterReplay(brokers).replay(new Selection(dlq, since, until, reason, dryRun)).toPrettyString());
        return 0;
    }
}

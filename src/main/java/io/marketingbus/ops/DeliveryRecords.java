package io.marketingbus.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.bus.BusConsumers;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Where did event X go?": every stage an event passes (accepted at ingress, delivered, skipped by a rule,
 * dead-lettered with a reason) is noted in {@code marketing.delivery-records}. Every instance writes there and reads
 * it all back into a bounded index, so an operator asking any instance sees the whole story. Records are
 * information, not the events themselves: one lost record loses no event.
 * <p>
 * Notes are written together, not one Kafka record each: a Kafka record holds a JSON array of up to
 * {@value #NOTES_PER_RECORD} notes, sent when a delivery batch is settled ({@link #flush}) or at the latest
 * {@value #FLUSH_MS} ms after the first note waiting (the webhooks' acceptances). Records of the earlier format (one
 * note, keyed by its event id) are still read.
 */
public class DeliveryRecords extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRecords.class);
    /** The longest excerpt of a platform's answer a record keeps. */
    public static final int MAX_ANSWER = 500;

    /** Notes per Kafka record: with the longest answer excerpts, still far below Kafka's 1 MiB record limit. */
    static final int NOTES_PER_RECORD = 200;
    /** The longest a note waits for others to share its record. */
    static final long FLUSH_MS = 20;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<ObjectNode> waiting = new ArrayList<>();
    private java.util.concurrent.ScheduledExecutorService flusher;
    private final String bootstrapServers;
    private final String topic;
    private final int maxEvents;
    private final Map<String, List<JsonNode>> byEvent;
    private volatile KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread reader;
    private volatile boolean running;
    private final List<java.util.function.Consumer<JsonNode>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<JsonNode>> historyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public DeliveryRecords(String bootstrapServers, String topic, int maxEvents) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.maxEvents = maxEvents;
        this.byEvent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<JsonNode>> eldest) {
                return size() > DeliveryRecords.this.maxEvents;
            }
        };
    }

    /**
     * Notes one stage of an event; never fails the caller.
     *
     * @param source the event's CloudEvents {@code source} (null when unknown), so a reader can filter by it
     * @param stage  {@code ingress:<platform>} or the destination's name
     * @param reason already masked by the caller (no e-mail, no phone)
     */
    public void record(String eventId, String type, String source, String stage, String outcome, String reason,
                       String route) {
        record(eventId, type, source, stage, outcome, reason, route, null, null);
    }

    /**
     * The same, with the attempt it was (a retried call, a dead letter) and the platform's HTTP status when the
     * outcome follows an answer.
     */
    public void record(String eventId, String type, String source, String stage, String outcome, String reason,
                       String route, Integer attempt, Integer httpStatus) {
        record(eventId, type, source, stage, outcome, reason, route, attempt, httpStatus, null);
    }

    /**
     * The same, with the platform's answer (its response body): kept as a short masked excerpt, so a trail shows
     * what the platform said without carrying a contact's e-mail or phone.
     */
    public void record(String eventId, String type, String source, String stage, String outcome, String reason,
                       String route, Integer attempt, Integer httpStatus, String answer) {
        if (eventId == null || producer == null) {
            return;
        }
        ObjectNode record = mapper.createObjectNode();
        record.put("eventId", eventId).put("type", type).put("stage", stage).put("outcome", outcome)
                .put("at", Instant.now().toString());
        if (source != null) {
            record.put("source", source);
        }
        if (reason != null) {
            record.put("reason", reason);
        }
        if (route != null) {
            record.put("route", route);
        }
        if (attempt != null) {
            record.put("attempt", attempt);
        }
        if (httpStatus != null) {
            record.put("httpStatus", httpStatus);
        }
        String excerpt = excerpt(answer);
        if (excerpt != null) {
            record.put("answer", excerpt);
        }
        List<ObjectNode> full = null;
        synchronized (waiting) {
            waiting.add(record);
            if (waiting.size() >= NOTES_PER_RECORD) {
                full = drain();
            }
        }
        if (full != null) {
            send(full);
        }
    }

    /** Sends the notes waiting now (a delivery batch's, once it is settled) without waiting for the timer. */
    public void flush() {
        List<ObjectNode> notes;
        synchronized (waiting) {
            notes = drain();
        }
        send(notes);
    }

    private List<ObjectNode> drain() {
        List<ObjectNode> notes = new ArrayList<>(waiting);
        waiting.clear();
        return notes;
    }

    private void send(List<ObjectNode> notes) {
        KafkaProducer<String, byte[]> to = producer;
        if (notes.isEmpty() || to == null) {
            return;
        }
        try {
            byte[] value = mapper.writeValueAsBytes(mapper.createArrayNode().addAll(notes));
            to.send(new ProducerRecord<>(topic, null, value), (meta, error) -> {
                if (error != null) {
                    LOG.debug("{} delivery records not written: {}", notes.size(), error.toString());
                }
            });
        } catch (Exception e) {
            LOG.debug("{} delivery records not written: {}", notes.size(), e.toString());
        }
    }

    /** The notes one Kafka record of the topic holds: an array of them, or one note (the earlier format). */
    public static List<JsonNode> notesIn(byte[] value, ObjectMapper mapper) throws java.io.IOException {
        JsonNode node = mapper.readTree(value);
        if (node == null) {
            return List.of();
        }
        if (node.isArray()) {
            List<JsonNode> notes = new ArrayList<>(node.size());
            node.forEach(notes::add);
            return notes;
        }
        return List.of(node);
    }

    /** At most {@value #MAX_ANSWER} characters of the text, e-mails and phones masked; null when there is none. */
    public static String excerpt(String answer) {
        if (answer == null || answer.isBlank()) {
            return null;
        }
        String masked = io.marketingbus.event.Identifiers.maskPhonesIn(
                io.marketingbus.event.Identifiers.maskEmailsIn(answer.strip()));
        return masked.length() <= MAX_ANSWER ? masked : masked.substring(0, MAX_ANSWER - 1) + "…";
    }

    /**
     * Hands every record written from now on (by any instance) to the listener, on the reader's thread: the
     * listener must return at once (no I/O, no blocking). Records of the past, read at start, are not handed over.
     */
    public void addListener(java.util.function.Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /**
     * The same, and also every record of the past as it is read at start (the console's counts over 7 days); add it
     * before the records start.
     */
    public void addListenerWithHistory(java.util.function.Consumer<JsonNode> listener) {
        historyListeners.add(listener);
    }

    public void removeListener(java.util.function.Consumer<JsonNode> listener) {
        listeners.remove(listener);
    }

    /** Every stage known for the event, oldest first; empty when the bus has no record of it. */
    public List<JsonNode> lookup(String eventId) {
        synchronized (byEvent) {
            List<JsonNode> records = byEvent.get(eventId);
            return records == null ? List.of() : List.copyOf(records);
        }
    }

    @Override
    protected void doStart() {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "1");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        producer = new KafkaProducer<>(producerProps);
        flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "marketing-bus-delivery-records-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, java.util.concurrent.TimeUnit.MILLISECONDS);

        Properties consumerProps = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                ByteArrayDeserializer.class, null);
        consumer = new KafkaConsumer<>(consumerProps);
        running = true;
        reader = new Thread(this::read, "marketing-bus-delivery-records");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            // what is written from here on is live, for the listeners; the rest is history, for lookups only
            Map<TopicPartition, Long> liveFrom = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        List<JsonNode> notes = notesIn(record.value(), mapper);
                        synchronized (byEvent) {
                            for (JsonNode note : notes) {
                                String eventId = note.path("eventId").asText(record.key());
                                byEvent.computeIfAbsent(eventId, k -> new ArrayList<>()).add(note);
                            }
                        }
                        boolean live = !listeners.isEmpty() && record.offset() >= liveFrom.getOrDefault(
                                new TopicPartition(record.topic(), record.partition()), 0L);
                        for (JsonNode note : notes) {
                            notify(historyListeners, note);
                            if (live) {
                                notify(listeners, note);
                            }
                        }
                    } catch (Exception e) {
                        LOG.debug("unreadable delivery record at offset {}", record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (Exception e) {
            LOG.warn("delivery records are no longer read: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private static void notify(List<java.util.function.Consumer<JsonNode>> listeners, JsonNode node) {
        for (var listener : listeners) {
            try {
                listener.accept(node);
            } catch (RuntimeException e) {
                LOG.debug("delivery record listener failed: {}", e.toString());
            }
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
            flusher = null;
        }
        flush();
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            reader.join(3000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }
}

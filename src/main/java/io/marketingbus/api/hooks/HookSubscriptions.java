package io.marketingbus.api.hooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.bus.BusConsumers;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST-hook subscriptions ({@code POST /v1/hooks}), kept in the compacted topic {@code marketing.api-hooks}
 * (key = hook id, value = the hook as JSON, a tombstone when it is deleted). Every instance reads the topic whole
 * when it starts and then follows it, so a hook subscribed on one instance is delivered to by all of them (within a
 * poll, about a second). A write returns once Kafka has it; this instance knows it at once. Without brokers (unit
 * tests) it is a map in memory.
 */
public class HookSubscriptions extends ServiceSupport {

    public static final String TOPIC = "marketing.api-hooks";
    private static final Logger LOG = LoggerFactory.getLogger(HookSubscriptions.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String bootstrapServers;
    private final Map<String, Hook> hooks = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread follower;
    private volatile boolean running;

    /** @param bootstrapServers null: in memory only */
    public HookSubscriptions(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Collection<Hook> all() {
        return hooks.values();
    }

    public Hook find(String id) {
        return id == null ? null : hooks.get(id);
    }

    public List<Hook> ownedBy(String owner) {
        List<Hook> owned = new ArrayList<>();
        for (Hook hook : hooks.values()) {
            if (hook.owner().equals(owner)) {
                owned.add(hook);
            }
        }
        owned.sort(java.util.Comparator.comparing(Hook::id));
        return owned;
    }

    /** Stores the subscription; returns once Kafka has it. */
    public void add(Hook hook) throws Exception {
        write(hook.id(), toJson(hook).toString());
        hooks.put(hook.id(), hook);
    }

    /** Deletes the subscription (a tombstone); returns once Kafka has it. */
    public void remove(String id) throws Exception {
        write(id, null);
        hooks.remove(id);
    }

    private void write(String key, String value) throws Exception {
        if (bootstrapServers == null) {
            return;
        }
        producer().send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
    }

    static ObjectNode toJson(Hook hook) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", hook.id());
        json.put("platform", hook.platform());
        json.put("owner", hook.owner());
        json.put("target_url", hook.url());
        ArrayNode events = json.putArray("events");
        hook.events().forEach(events::add);
        return json;
    }

    static Hook fromJson(String value) throws Exception {
        JsonNode json = MAPPER.readTree(value);
        List<String> events = new ArrayList<>();
        json.path("events").forEach(e -> events.add(e.asText()));
        return new Hook(json.path("id").asText(), json.path("platform").asText("zapier"), json.path("owner").asText(),
                json.path("target_url").asText(), events, false, true);
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = io.marketingbus.bus.BusProducers.reliableStrings(bootstrapServers, 0);
        }
        return producer;
    }

    /** Reads the topic to its end (the subscriptions as they are now), then follows it on a thread of its own. */
    @Override
    protected void doStart() {
        if (bootstrapServers == null) {
            return;
        }
        Properties config = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                StringDeserializer.class, null);
        consumer = new KafkaConsumer<>(config);
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
            apply(consumer.poll(Duration.ofMillis(500)));
        }
        LOG.info("{} REST-hook subscription(s) read from {}", hooks.size(), TOPIC);
        running = true;
        follower = new Thread(this::follow, "api-hooks-follower");
        follower.setDaemon(true);
        follower.start();
    }

    private void follow() {
        try {
            while (running) {
                apply(consumer.poll(Duration.ofMillis(500)));
            }
        } catch (WakeupException stopping) {
            // doStop
        } catch (RuntimeException e) {
            LOG.error("Stopped following {}: subscriptions made elsewhere are not seen until a restart", TOPIC, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(Iterable<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            if (record.value() == null) {
                hooks.remove(record.key());
                continue;
            }
            try {
                hooks.put(record.key(), fromJson(record.value()));
            } catch (Exception e) {
                LOG.warn("Unreadable subscription {} in {} ignored: {}", record.key(), TOPIC, e.getMessage());
            }
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            if (follower != null) {
                follower.join(5_000);
            } else {
                consumer.close(Duration.ofSeconds(5));
            }
            consumer = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}

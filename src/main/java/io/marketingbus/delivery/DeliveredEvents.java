package io.marketingbus.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.bus.BusConsumers;
import io.marketingbus.bus.BusProducers;
import org.apache.camel.CamelContext;
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
 * Which events each (flow topic, destination) has already delivered, kept in a compacted Kafka topic
 * ({@code <topic>.<destination>.delivered}, forgotten after its retention) so it survives restarts and is shared by
 * every instance. An event id is recorded only after the platform accepted it: a dead-lettered event stays
 * replayable.
 * <p>
 * A batch's ids are <em>one</em> record ({@code {"ids":[...]}}, at most {@value #IDS_PER_RECORD} ids each), written
 * and waited for once; records of the earlier one-id-per-record format (key = id, value {@code add}, {@code remove}
 * or {@code clear}, as camel-kafka's idempotent repository wrote them) are still read. Each topic is read from its
 * beginning the first time it is used (before the first answer, so a restarted instance knows what it delivered),
 * then followed by a thread, so ids delivered by other instances are learnt too. At most {@code cacheSize} ids per
 * topic are kept in memory, the most recent.
 */
public class DeliveredEvents extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredEvents.class);
    /** Ids per record: 128-character ids (the schema's longest) stay well under Kafka's 1 MiB record limit. */
    static final int IDS_PER_RECORD = 1000;
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final int cacheSize;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Known> topics = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;
    private volatile boolean stopping;

    /** @param context unused since the ids are read by this class itself; kept for the callers' signature */
    public DeliveredEvents(CamelContext context, String bootstrapServers, int cacheSize) {
        this.bootstrapServers = bootstrapServers;
        this.cacheSize = cacheSize;
    }

    public boolean contains(String topic, String eventId) {
        return known(topic).contains(eventId);
    }

    /**
     * Records a batch's delivered ids; returns once Kafka has them all, with the ids it refused and why (empty when
     * every id was written). Throws only when interrupted (the bus stopping) or when the topic cannot be used at all.
     */
    public Map<String, Exception> recordAll(String topic, List<String> eventIds) throws InterruptedException {
        Known known = known(topic);
        Map<String, Exception> failed = new LinkedHashMap<>();
        for (int from = 0; from < eventIds.size(); from += IDS_PER_RECORD) {
            List<String> ids = eventIds.subList(from, Math.min(eventIds.size(), from + IDS_PER_RECORD));
            try {
                String value = mapper.writeValueAsString(Map.of("ids", ids));
                // a key of its own: compaction keeps every batch's record until the topic's retention forgets it
                producer().send(new ProducerRecord<>(topic, "batch-" + UUID.randomUUID(), value)).get();
                // the topic's reader learns them a poll later; this instance knows them from now on
                known.addAll(ids);
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception c ? c : e;
                ids.forEach(id -> failed.put(id, cause));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                ids.forEach(id -> failed.put(id, e));
            }
        }
        return failed;
    }

    /** The ids one record of a delivered topic adds (either format); empty for a removal or an unreadable record. */
    public static List<String> idsIn(String key, String value, ObjectMapper mapper) {
        if (value == null) {
            return List.of();
        }
        if (value.startsWith("{")) {
            try {
                JsonNode ids = mapper.readTree(value).path("ids");
                List<String> found = new ArrayList<>(ids.size());
                ids.forEach(id -> found.add(id.asText()));
                return found;
            } catch (Exception unreadable) {
                return List.of();
            }
        }
        return "add".equals(value) && key != null ? List.of(key) : List.of();
    }

    private Known known(String topic) {
        Known known = topics.get(topic);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = topics.get(topic);
            if (known == null) {
                known = new Known(topic);
                known.catchUp();
                topics.put(topic, known);
            }
            return known;
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = BusProducers.reliableStrings(bootstrapServers, 1);
        }
        return producer;
    }

    @Override
    protected void doStart() {
        stopping = false;
    }

    @Override
    protected void doStop() {
        stopping = true;
        topics.values().forEach(Known::close);
        topics.clear();
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }

    /** One delivered topic: the most recent ids in memory, and the consumer following the topic. */
    private final class Known {

        private final String topic;
        private final Set<String> ids;
        private KafkaConsumer<String, String> consumer;
        private Thread follower;

        Known(String topic) {
            this.topic = topic;
            this.ids = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > cacheSize;
                }
            }));
        }

        boolean contains(String id) {
            return ids.contains(id);
        }

        void addAll(List<String> delivered) {
            ids.addAll(delivered);
        }

        /** Reads the topic up to its end now, then follows it on a thread of its own. */
        void catchUp() {
            Properties props = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                    StringDeserializer.class, "marketing-bus-delivered-" + topic);
            consumer = new KafkaConsumer<>(props);
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + CATCH_UP.toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + topic + " to its end within " + CATCH_UP);
                    }
                    read();
                }
            } catch (RuntimeException e) {
                consumer.close(Duration.ofSeconds(1));
                throw new IllegalStateException("cannot read the delivered ids of " + topic + ": " + e.getMessage(), e);
            }
            follower = new Thread(this::follow, "marketing-bus-delivered-" + topic);
            follower.setDaemon(true);
            follower.start();
        }

        private void follow() {
            try {
                while (!stopping) {
                    read();
                }
            } catch (WakeupException stopped) {
                // closing
            } catch (RuntimeException e) {
                LOG.warn("Stopped following {}: {}; ids other instances deliver are learnt again after a restart",
                        topic, e.toString());
            } finally {
                consumer.close(Duration.ofSeconds(1));
            }
        }

        private void read() {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if ("remove".equals(record.value())) {
                    ids.remove(record.key());
                } else if ("clear".equals(record.value())) {
                    ids.clear();
                } else {
                    ids.addAll(idsIn(record.key(), record.value(), mapper));
                }
            }
        }

        void close() {
            if (follower != null) {
                consumer.wakeup();
                try {
                    follower.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

package io.marketingbus.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Which events each (flow topic, destination) has already delivered, kept in a compacted Kafka topic
 * ({@code <topic>.<destination>.delivered}) so it survives restarts and is shared by every instance. An event id is
 * recorded only after the platform accepted it: a dead-lettered event stays replayable. A batch's ids are written
 * together (in the repository's own record format, which its topic poller reads back into every instance's cache)
 * and waited for once, instead of one synchronous send per event.
 */
public class DeliveredEvents extends ServiceSupport {

    private final CamelContext context;
    private final String bootstrapServers;
    private final int cacheSize;
    private final Map<String, KafkaIdempotentRepository> repositories = new ConcurrentHashMap<>();
    private static final int RECENT = 20_000;
    private final Map<String, java.util.Set<String>> recent = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;

    public DeliveredEvents(CamelContext context, String bootstrapServers, int cacheSize) {
        this.context = context;
        this.bootstrapServers = bootstrapServers;
        this.cacheSize = cacheSize;
    }

    public boolean contains(String topic, String eventId) {
        return recent(topic).contains(eventId) || repository(topic).contains(eventId);
    }

    /**
     * Records a batch's delivered ids; returns once Kafka has them all, with the ids it refused and why (empty when
     * every id was written). Throws only when interrupted (the bus stopping) or when the topic cannot be used at all.
     */
    public Map<String, Exception> recordAll(String topic, List<String> eventIds) throws InterruptedException {
        repository(topic);
        Map<String, Future<?>> sent = new java.util.LinkedHashMap<>();
        Map<String, Exception> failed = new java.util.LinkedHashMap<>();
        for (String id : eventIds) {
            try {
                sent.put(id, producer().send(new ProducerRecord<>(topic, id, "add")));
            } catch (RuntimeException e) {
                failed.put(id, e);
            }
        }
        List<String> written = new ArrayList<>(eventIds.size());
        for (Map.Entry<String, Future<?>> f : sent.entrySet()) {
            try {
                f.getValue().get();
                written.add(f.getKey());
            } catch (java.util.concurrent.ExecutionException e) {
                failed.put(f.getKey(), e.getCause() instanceof Exception cause ? cause : e);
            }
        }
        // the repository's cache learns them from its topic a poll later; until then this instance remembers them
        recent(topic).addAll(written);
        return failed;
    }

    private java.util.Set<String> recent(String topic) {
        return recent.computeIfAbsent(topic, t -> java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > RECENT;
                    }
                })));
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = io.marketingbus.bus.BusProducers.reliableStrings(bootstrapServers, 1);
        }
        return producer;
    }

    @Override
    protected synchronized void doStop() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }

    private KafkaIdempotentRepository repository(String topic) {
        return repositories.computeIfAbsent(topic, t -> {
            KafkaIdempotentRepository repository = new KafkaIdempotentRepository(t, bootstrapServers);
            repository.setMaxCacheSize(cacheSize);
            repository.setCamelContext(context);
            try {
                // managed by the context from now on: stopped with it
                context.addService(repository, true, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the delivered-events repository on " + t, e);
            }
            return repository;
        });
    }
}

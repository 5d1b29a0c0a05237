package io.marketingbus.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;

/**
 * Which events each (flow topic, destination) has already delivered, kept in a compacted Kafka topic
 * ({@code <topic>.<destination>.delivered}) so it survives restarts and is shared by every instance. An event id is
 * recorded only after the platform accepted it: a dead-lettered event stays replayable.
 */
public final class DeliveredEvents {

    private final CamelContext context;
    private final String bootstrapServers;
    private final int cacheSize;
    private final Map<String, KafkaIdempotentRepository> repositories = new ConcurrentHashMap<>();

    public DeliveredEvents(CamelContext context, String bootstrapServers, int cacheSize) {
        this.context = context;
        this.bootstrapServers = bootstrapServers;
        this.cacheSize = cacheSize;
    }

    public boolean contains(String topic, String eventId) {
        return repository(topic).contains(eventId);
    }

    public void record(String topic, String eventId) {
        repository(topic).add(eventId);
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

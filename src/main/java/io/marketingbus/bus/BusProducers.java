package io.marketingbus.bus;

import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer the bus's own bookkeeping writes with (state, delivered ids, hook subscriptions): string keys and
 * values, acknowledged by every in-sync replica, idempotent, so a retried send never doubles a record.
 */
public final class BusProducers {

    private BusProducers() {
    }

    /** @param lingerMs how long a send may wait for others to share its request (0: the client's default) */
    public static KafkaProducer<String, String> reliableStrings(String bootstrapServers, int lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (lingerMs > 0) {
            config.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        }
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }
}

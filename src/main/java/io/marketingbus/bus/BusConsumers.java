package io.marketingbus.bus;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The consumers the bus reads its own topics with outside a delivery (state, delivered ids, delivery records, the
 * live stream, hook subscriptions, dead letters): assigned partitions, no group, nothing committed, so reading
 * changes nothing for anyone.
 */
public final class BusConsumers {

    private BusConsumers() {
    }

    /** @param clientId names the reader in the broker's logs and metrics; null: the client's default */
    public static Properties readerProps(String bootstrapServers, Class<? extends Deserializer<?>> keys,
                                         Class<? extends Deserializer<?>> values, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, keys.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, values.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (clientId != null) {
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        }
        return props;
    }
}

package io.marketingbus.ingress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.marketingbus.bus.BusConsumers;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a store's later webhooks need from its earlier ones, because their payloads do not carry it: Shopify's
 * {@code inventory_levels/update} names only the inventory item, whose variant (the catalog's retailer id) a product
 * webhook told; a Shopify refund or a WooCommerce {@code order.deleted} names only the order, whose customer and
 * order key the order webhook told. Kept under {@code <platform>/} keys in the bus's compacted state topic
 * ({@code bus.topics.state}), so it survives restarts and every instance finds what another one wrote (a key this
 * instance does not know makes it read the topic's newer records first). Without brokers (unit tests) it is a map
 * in memory.
 */
public class StoreState extends ServiceSupport {

    private final String prefix;
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private List<TopicPartition> partitions;

    /**
     * @param bootstrapServers null: in memory only
     * @param platform         the keys' namespace ({@code shopify}, {@code woocommerce})
     */
    public StoreState(String bootstrapServers, String topic, String platform) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.prefix = platform + "/";
    }

    /** The topic stores' product events go to (event/Product.java). */
    public static final String PRODUCTS_TOPIC = "marketing.products";

    /**
     * The platform's state in the bus's state topic, stopped with the bus; and the products topic, which no delivery
     * may create (a delivery's topics follow from its kafka-delivery instance, and a catalog delivery is optional).
     */
    public static StoreState start(org.apache.camel.CamelContext context, io.marketingbus.config.Settings settings,
                                   String platform) {
        String brokers = settings.require("camel.component.kafka.brokers");
        try {
            io.marketingbus.bus.BusTopics.ensure(brokers, List.of(io.marketingbus.bus.BusTopics.Topic.flow(PRODUCTS_TOPIC,
                    settings)), (short) settings.getInt("bus.topics.replication-factor", 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + PRODUCTS_TOPIC, e);
        }
        StoreState state = new StoreState(brokers, settings.get("bus.topics.state", "marketing.state"), platform);
        try {
            context.addService(state, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the " + platform + " state", e);
        }
        return state;
    }

    public static StoreState inMemory(String platform) {
        return new StoreState(null, null, platform);
    }

    /** The value under the key, or null when no webhook told it. */
    public String get(String key) {
        String value = values.get(prefix + key);
        if (value == null && bootstrapServers != null) {
            catchUp();
            value = values.get(prefix + key);
        }
        return value;
    }

    /** Stores the value; returns once the state topic has it (before the webhook is answered). */
    public void put(String key, String value) {
        if (value.equals(values.get(prefix + key))) {
            return;
        }
        if (bootstrapServers != null) {
            try {
                producer().send(new ProducerRecord<>(topic, prefix + key, value)).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing store state", e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot store store state on " + topic + ": " + e.getMessage(), e);
            }
        }
        values.put(prefix + key, value);
    }

    /**
     * Stores a hint without waiting for the state topic: this instance knows it at once, the others once the record
     * arrives. For what helps a later lookup but is not itself an event (losing it costs that lookup, nothing else).
     */
    public void remember(String key, String value) {
        if (value.equals(values.put(prefix + key, value)) || bootstrapServers == null) {
            return;
        }
        try {
            producer().send(new ProducerRecord<>(topic, prefix + key, value));
        } catch (RuntimeException e) {
            // a hint: the local copy stands, the other instances fall back to their own lookups
        }
    }

    /** Reads the state topic's records this instance has not seen yet. */
    private synchronized void catchUp() {
        if (consumer == null) {
            Properties props = BusConsumers.readerProps(bootstrapServers, StringDeserializer.class,
                    StringDeserializer.class, null);
            consumer = new KafkaConsumer<>(props);
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
                    values.put(record.key(), record.value());
                }
            }
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = io.marketingbus.bus.BusProducers.reliableStrings(bootstrapServers, 0);
        }
        return producer;
    }

    @Override
    protected synchronized void doStop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}

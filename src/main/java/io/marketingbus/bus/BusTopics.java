package io.marketingbus.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.marketingbus.config.Settings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bus's topics before any route starts: a producer sending to a missing topic blocks for a minute,
 * and the broker is configured not to create topics on its own.
 */
public final class BusTopics {

    private static final Logger LOG = LoggerFactory.getLogger(BusTopics.class);

    /** A topic to create, with its partition count and extra topic configs. */
    public record Topic(String name, int partitions, Map<String, String> configs) {

        /** A flow topic: {@code bus.topics.partitions} partitions (the most consumers of one destination). */
        public static Topic flow(String name, Settings settings) {
            return new Topic(name, settings.getInt("bus.topics.partitions", 6), Map.of());
        }

        /** A dead-letter topic: few partitions, kept {@code bus.topics.dead-letter-retention-ms} for an operator. */
        public static Topic deadLetter(String name, Settings settings) {
            return new Topic(name, settings.getInt("bus.topics.dead-letter-partitions", 1), Map.of("retention.ms",
                    String.valueOf(settings.getLong("bus.topics.dead-letter-retention-ms", 2_592_000_000L))));
        }

        /** The ids a delivery delivered: compacted, one partition, forgotten after {@code bus.topics.delivered-retention-ms}. */
        public static Topic delivered(String name, Settings settings) {
            return new Topic(name, 1, Map.of("cleanup.policy", "compact,delete", "retention.ms",
                    String.valueOf(settings.getLong("bus.topics.delivered-retention-ms", 2_592_000_000L))));
        }
    }

    private BusTopics() {
    }

    public static void ensure(String bootstrapServers, List<Topic> topics, short replicationFactor)
            throws InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "marketing-bus-topics");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs()));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the bus topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}

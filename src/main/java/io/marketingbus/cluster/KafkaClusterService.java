package io.marketingbus.cluster;

import java.util.List;
import java.util.Map;

import io.marketingbus.bus.BusTopics;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Leader election on Kafka's own group membership, for the {@code master:} component: every instance already shares
 * the Kafka cluster, so no other coordination service (file share, ZooKeeper, Kubernetes API) is needed. Each
 * namespace (one per singleton job) is a consumer group {@code marketing-bus.leader.<namespace>} subscribed to the
 * one-partition topic {@link #topic}; the member Kafka assigns partition 0 to is the leader. When the leader stops it
 * leaves the group and another member gets partition 0 at once; when it dies ({@code kill -9}, lost host) the
 * broker evicts it after {@code session.timeout.ms} and reassigns. Nothing is ever written to the topic.
 */
public final class KafkaClusterService extends AbstractCamelClusterService<KafkaClusterView> {

    /** Prefix of the consumer groups, one per namespace. */
    public static final String GROUP_PREFIX = "marketing-bus.leader.";

    private final String bootstrapServers;
    private final String topic;
    private final int sessionTimeoutMs;
    private final short replicationFactor;

    public KafkaClusterService(String bootstrapServers, String topic, int sessionTimeoutMs, short replicationFactor) {
        super("kafka");
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.replicationFactor = replicationFactor;
    }

    @Override
    protected void doStart() throws Exception {
        BusTopics.ensure(bootstrapServers, List.of(new BusTopics.Topic(topic, 1, Map.of())), replicationFactor);
        super.doStart();
    }

    @Override
    protected KafkaClusterView createView(String namespace) {
        return new KafkaClusterView(this, namespace, bootstrapServers, topic, sessionTimeoutMs);
    }

    public String topic() {
        return topic;
    }
}

package io.marketingbus.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace of {@link KafkaClusterService}: a consumer in the namespace's group that only takes part in
 * rebalances (it polls the empty leader topic to keep its membership); leader while it holds partition 0.
 */
public final class KafkaClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterView.class);

    private final String bootstrapServers;
    private final String topic;
    private final int sessionTimeoutMs;
    private final String memberId = UUID.randomUUID().toString();
    private final Member local = new Member();
    private volatile boolean leader;
    private volatile boolean joined;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    KafkaClusterView(CamelClusterService service, String namespace, String bootstrapServers, String topic,
            int sessionTimeoutMs) {
        super(service, namespace);
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** True once this member has joined its group (leader or not). */
    public boolean joined() {
        return joined;
    }

    public String groupId() {
        return KafkaClusterService.GROUP_PREFIX + getNamespace();
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    /** A listener added after leadership was taken hears of it too (the master consumer adds its own late). */
    @Override
    public synchronized void addEventListener(CamelClusterEventListener listener) {
        super.addEventListener(listener);
        if (leader && listener instanceof CamelClusterEventListener.Leadership leadership) {
            leadership.leadershipChanged(this, local);
        }
    }

    @Override
    protected void doStart() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "marketing-bus-leader-" + getNamespace() + "-" + memberId.substring(0, 8));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeoutMs));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(100, sessionTimeoutMs / 5)));
        // a member joining or leaving does not take partition 0 from a living leader
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        running = true;
        thread = new Thread(this::run, "marketing-bus-leader-" + getNamespace());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        try {
            kafka.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    joined = true;
                    if (partitions.contains(new TopicPartition(topic, 0))) {
                        setLeader(true);
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.contains(new TopicPartition(topic, 0))) {
                        setLeader(false);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    joined = false;
                    setLeader(false);
                }
            });
            while (running) {
                try {
                    kafka.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    // stopping
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warn("Leader election for {} ({}): {}; retrying", getNamespace(), groupId(), e.toString());
                        sleep();
                    }
                }
            }
        } finally {
            setLeader(false);
            // leaving the group hands partition 0 to another member at once
            kafka.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void setLeader(boolean now) {
        if (leader == now) {
            return;
        }
        leader = now;
        if (now) {
            LOG.info("This instance now runs the singleton job {} (leader of {})", getNamespace(), groupId());
        } else {
            LOG.info("This instance no longer runs the singleton job {}", getNamespace());
        }
        fireLeadershipChangedEvent(now ? Optional.of(local) : Optional.empty());
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
            thread = null;
        }
        consumer = null;
    }

    private final class Member implements CamelClusterMember {

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return memberId;
        }
    }
}

package io.marketingbus.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code marketing_bus_consumer_lag{group}}: records each delivery consumer group has yet to process, summed
 * over its partitions, refreshed every {@code interval} seconds with the Kafka Admin API (the committed offset
 * moves only after delivery, so this is the real backlog per destination).
 */
public final class ConsumerLagMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);
    static final String GROUP_PREFIX = "marketing-bus.";

    private final String bootstrapServers;
    private final MultiGauge lag;
    /** Groups the routes define: shown at zero until Kafka reports them (a group exists once its consumer joins). */
    private Set<String> expected = Set.of();
    private Map<String, Long> measured = Map.of();
    private final long intervalSeconds;
    private ScheduledExecutorService scheduler;
    private Admin admin;

    public ConsumerLagMetrics(String bootstrapServers, MeterRegistry meters, long intervalSeconds) {
        this.bootstrapServers = bootstrapServers;
        this.intervalSeconds = intervalSeconds;
        this.lag = BusMeters.consumerLag(meters);
    }

    /** The delivery consumer groups the routes define, shown from the start. */
    public synchronized void expect(Set<String> groups) {
        this.expected = Set.copyOf(groups);
        publish();
    }

    /** Every expected group (0 until measured) and every measured one; called with the lock held. */
    private void publish() {
        Map<String, Long> totals = new java.util.TreeMap<>();
        expected.forEach(g -> totals.put(g, 0L));
        totals.putAll(measured);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        totals.forEach((group, total) -> rows.add(MultiGauge.Row.of(Tags.of("group", group), total)));
        lag.register(rows, true);
    }

    /** The last measured lag per consumer group ({@code marketing-bus.<topic>.<destination>}); read, never blocks on Kafka. */
    public synchronized Map<String, Long> lagByGroup() {
        return measured;
    }

    @Override
    protected void doStart() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "marketing-bus-lag");
        admin = Admin.create(props);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "marketing-bus-consumer-lag");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 1, intervalSeconds, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }

    void refresh() {
        try {
            Map<String, Long> totals = new java.util.TreeMap<>();
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(5, TimeUnit.SECONDS)) {
                if (!group.groupId().startsWith(GROUP_PREFIX)) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                        .get(5, TimeUnit.SECONDS);
                long total = 0;
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        total += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                    }
                }
                totals.put(group.groupId(), total);
            }
            synchronized (this) {
                measured = totals;
                publish();
            }
        } catch (Exception e) {
            LOG.debug("consumer lag not refreshed: {}", e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

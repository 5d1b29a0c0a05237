package io.marketingbus.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
    private final long intervalSeconds;
    private ScheduledExecutorService scheduler;
    private Admin admin;

    public ConsumerLagMetrics(String bootstrapServers, MeterRegistry meters, long intervalSeconds) {
        this.bootstrapServers = bootstrapServers;
        this.intervalSeconds = intervalSeconds;
        this.lag = MultiGauge.builder("marketing_bus_consumer_lag")
                .description("records a delivery consumer group has not yet delivered or dead-lettered")
                .register(meters);
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
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
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
                rows.add(MultiGauge.Row.of(Tags.of("group", group.groupId()), total));
            }
            lag.register(rows, true);
        } catch (Exception e) {
            LOG.debug("consumer lag not refreshed: {}", e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

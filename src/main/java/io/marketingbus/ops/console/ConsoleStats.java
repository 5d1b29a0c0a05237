package io.marketingbus.ops.console;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.marketingbus.delivery.DestinationBreakers;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ops.ConsumerLagMetrics;
import io.marketingbus.ops.DeliveryRecords;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The measurements behind the console's overview and KPIs: the delivery records counted ({@link DeliveryStats},
 * fed on the records' reader thread, history included), this instance's health sampled every
 * {@code healthInterval} and its ingress answer times ({@link InstanceHistory}), consumer lag and breaker states.
 * The KPIs of the last hour are also gauges {@code marketing_bus_kpi_<name>{type}} for Grafana.
 */
public final class ConsoleStats extends ServiceSupport {

    static final Duration GAUGE_WINDOW = Duration.ofHours(1);

    private final CamelContext context;
    private final DeliveryRecords records;
    private final ConsumerLagMetrics lag;
    private final DestinationBreakers breakers;
    private final MeterRegistry meters;
    private final Duration healthInterval;
    private final DeliveryStats stats;
    private final InstanceHistory instance;
    private ScheduledExecutorService scheduler;
    private volatile Map<String, Double> gaugeValues = Map.of();
    private volatile long gaugesAt;

    public ConsoleStats(CamelContext context, Clock clock, DeliveryRecords records, IngressResponses ingress,
                        ConsumerLagMetrics lag, DestinationBreakers breakers, MeterRegistry meters,
                        Duration healthInterval, int maxAccepted) {
        this.context = context;
        this.records = records;
        this.lag = lag;
        this.breakers = breakers;
        this.meters = meters;
        this.healthInterval = healthInterval;
        this.stats = new DeliveryStats(clock, maxAccepted);
        this.instance = new InstanceHistory(clock);
        // before the records start: the history read at start is counted too
        records.addListenerWithHistory(stats);
        ingress.onAnswer(instance::answered);
        registerGauges();
    }

    public DeliveryStats stats() {
        return stats;
    }

    public InstanceHistory instance() {
        return instance;
    }

    /** Consumer lag now, per flow and destination ({@code flow\0destination}), from the last Admin-API refresh. */
    public Map<String, Long> pending() {
        Map<String, Long> pending = new HashMap<>();
        String prefix = "marketing-bus.";
        lag.lagByGroup().forEach((group, n) -> {
            if (!group.startsWith(prefix)) {
                return;
            }
            String rest = group.substring(prefix.length());
            int topicEnd = rest.indexOf('.', rest.indexOf('.') + 1);
            if (topicEnd < 0) {
                return;
            }
            pending.merge(Flows.ofTopic(rest.substring(0, topicEnd)) + "\u0000" + rest.substring(topicEnd + 1), n,
                    Long::sum);
        });
        return pending;
    }

    /** Consumer lag now per destination, over its flows. */
    public Map<String, Long> pendingByDestination() {
        Map<String, Long> byDestination = new HashMap<>();
        pending().forEach((key, n) -> byDestination.merge(key.substring(key.indexOf('\u0000') + 1), n, Long::sum));
        return byDestination;
    }

    /** closed, half_open or open. */
    public String breaker(String destination) {
        return breakers.state(destination).name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    protected void doStart() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "marketing-bus-console-health");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::sampleHealth, healthInterval.toMillis(), healthInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Up when no Camel health check (readiness and liveness) answers DOWN; not sampled while starting or stopping. */
    void sampleHealth() {
        if (!context.getStatus().isStarted()) {
            return; // starting or stopping: the bus is not serving, and it is no outage either
        }
        try {
            var results = HealthCheckHelper.invoke(context);
            instance.health(results.stream().noneMatch(r -> r.getState() == HealthCheck.State.DOWN));
        } catch (RuntimeException e) {
            instance.health(false);
        }
    }

    private void registerGauges() {
        for (Kpis.Kpi kpi : Kpis.Kpi.values()) {
            String name = "marketing_bus_kpi_" + kpi.id + ("seconds".equals(kpi.unit) ? "_seconds" : "");
            List<String> types = kpi == Kpis.Kpi.API_UPTIME || kpi == Kpis.Kpi.API_LATENCY ? List.of(Kpis.ALL)
                    : java.util.stream.Stream.concat(java.util.stream.Stream.of(Kpis.ALL), Kpis.TYPES.keySet().stream())
                    .toList();
            for (String type : types) {
                String key = kpi.id + "|" + type;
                Gauge.builder(name, this, s -> s.gauge(key))
                        .description(kpi.label + " over the last hour (" + ("seconds".equals(kpi.unit) ? "seconds"
                                : "ratio 0-1") + "; target " + (kpi.atLeast ? ">= " : "< ") + kpi.target
                                + "); NaN until measured; the console's KPIs tab")
                        .tag("type", type).register(meters);
            }
        }
    }

    /** One gauge's value; the table is computed at most every 5 s, whatever the number of gauges scraped. */
    private double gauge(String key) {
        long now = System.nanoTime();
        if (now - gaugesAt > TimeUnit.SECONDS.toNanos(5) || gaugeValues.isEmpty()) {
            Map<String, Double> values = new HashMap<>();
            for (Kpis.Value v : Kpis.compute(stats.rows(GAUGE_WINDOW), pendingByDestination(),
                    instance.measured(GAUGE_WINDOW, Duration.ZERO))) {
                values.put(v.kpi().id + "|" + v.type(), v.value() == null ? Double.NaN : v.value());
            }
            gaugeValues = values;
            gaugesAt = now;
        }
        return gaugeValues.getOrDefault(key, Double.NaN);
    }
}

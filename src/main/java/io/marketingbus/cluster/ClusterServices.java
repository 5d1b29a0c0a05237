package io.marketingbus.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.marketingbus.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.master.MasterEndpoint;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * The cluster service behind the {@code master:} endpoints of the singleton jobs (deal poller, GA4 reconciler), chosen
 * by {@code bus.cluster.service}: {@code kafka} (default: group membership on the Kafka cluster every instance
 * already shares; works alone with no set-up), {@code file} (a lock file on a shared file system),
 * {@code kubernetes} (a Lease, camel-kubernetes, in jars built with {@code -Pkubernetes}) or {@code none}.
 */
public final class ClusterServices {

    static final String KUBERNETES_CLASS = "org.apache.camel.component.kubernetes.cluster.KubernetesClusterService";

    private ClusterServices() {
    }

    public static CamelClusterService create(CamelContext context, Settings settings, String brokers) {
        String kind = settings.get("bus.cluster.service", "kafka").toLowerCase(java.util.Locale.ROOT);
        switch (kind) {
            case "kafka":
                return new KafkaClusterService(brokers, settings.get("bus.cluster.kafka.topic", "marketing.leader"),
                        settings.getInt("bus.cluster.kafka.session-timeout-ms", 10_000),
                        (short) settings.getInt("bus.topics.replication-factor", 1));
            case "file": {
                FileLockClusterService file = new FileLockClusterService();
                file.setId("file");
                file.setRoot(settings.find("bus.cluster.file.root")
                        .orElse(Path.of(settings.get("bus.data-dir", "./data"), "cluster").toString()));
                file.setAcquireLockDelay(settings.getLong("bus.cluster.file.acquire-lock-delay-ms", 1_000),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                file.setAcquireLockInterval(settings.getLong("bus.cluster.file.acquire-lock-interval-ms", 10_000),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                return file;
            }
            case "kubernetes":
                return kubernetes(context, settings);
            case "none":
                return new LocalClusterService();
            default:
                throw new IllegalArgumentException("Setting bus.cluster.service must be kafka, file, kubernetes or none, got '"
                        + kind + "'");
        }
    }

    /**
     * {@code marketing_bus_singleton_leader{job}}: 1 on the instance running the job, 0 on the others; one series per
     * singleton job this instance has (its {@code master:} namespace).
     */
    public static void registerLeaderGauges(CamelContext context, CamelClusterService service, MeterRegistry meters) {
        for (org.apache.camel.Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof MasterEndpoint master) {
                String job = master.getNamespace();
                Gauge.builder("marketing_bus_singleton_leader", service, s -> s.isLeader(job) ? 1 : 0)
                        .description("1 while this instance runs the singleton job (leader of its namespace), else 0")
                        .tag("job", job).register(meters);
            }
        }
    }

    private static CamelClusterService kubernetes(CamelContext context, Settings settings) {
        CamelClusterService service;
        try {
            service = (CamelClusterService) Class.forName(KUBERNETES_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("bus.cluster.service=kubernetes needs camel-kubernetes in the jar: build it with "
                    + "mvn package -Pkubernetes (or use bus.cluster.service=kafka, which needs nothing but Kafka)", e);
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("id", "kubernetes");
        // the Leases live in the pod's namespace unless given; the member is the pod (camel-kubernetes takes HOSTNAME)
        settings.find("bus.cluster.kubernetes.namespace").ifPresent(v -> options.put("kubernetesNamespace", v));
        settings.find("bus.cluster.kubernetes.pod-name").ifPresent(v -> options.put("podName", v));
        options.put("kubernetesResourceName", settings.get("bus.cluster.kubernetes.lease-name", "marketing-bus-leader"));
        options.put("leaseResourceType", "Lease");
        options.put("leaseDurationMillis", settings.getLong("bus.cluster.kubernetes.lease-duration-ms", 15_000));
        options.put("renewDeadlineMillis", settings.getLong("bus.cluster.kubernetes.renew-deadline-ms", 10_000));
        options.put("retryPeriodMillis", settings.getLong("bus.cluster.kubernetes.retry-period-ms", 2_000));
        PropertyBindingSupport.build().withMandatory(true).bind(context, service, options);
        return service;
    }
}

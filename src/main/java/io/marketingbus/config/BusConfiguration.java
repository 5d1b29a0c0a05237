package io.marketingbus.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.marketingbus.api.stream.EventStream;
import io.marketingbus.api.stream.StreamAuth;
import io.marketingbus.bus.DeliveryTopics;
import io.marketingbus.cluster.ClusterServices;
import io.marketingbus.delivery.BatchCalls;
import io.marketingbus.delivery.BatchRule;
import io.marketingbus.delivery.DeadLetters;
import io.marketingbus.delivery.DeliveredEvents;
import io.marketingbus.delivery.DeliveryBatches;
import io.marketingbus.delivery.DeliveryEnvelope;
import io.marketingbus.delivery.DeliveryFailureRecorder;
import io.marketingbus.delivery.DeliveryRetryPolicy;
import io.marketingbus.delivery.DeliveryRoutes;
import io.marketingbus.delivery.DestinationBreakers;
import io.marketingbus.delivery.DestinationPacing;
import io.marketingbus.delivery.EventRecords;
import io.marketingbus.delivery.PlatformCalls;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.IngressResponses;
import io.marketingbus.ingress.RefusalsAsFailures;
import io.marketingbus.ops.AdminEndpoints;
import io.marketingbus.ops.console.ConsoleAuth;
import io.marketingbus.ops.console.ConsoleServer;
import io.marketingbus.ops.console.ConsoleSessions;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.ops.ConsumerLagMetrics;
import io.marketingbus.ops.DeadLetterReplay;
import io.marketingbus.ops.DeliveryRecords;
import io.marketingbus.ops.ManagementInfo;
import io.marketingbus.ops.RouteXmlDumper;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformDescriptors;
import io.marketingbus.platform.PlatformSetup;
import io.marketingbus.sandbox.SandboxFaults;
import io.marketingbus.sandbox.SandboxHttp;
import io.marketingbus.sandbox.SandboxPlatform;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.ModelToXMLDumper;
import org.apache.camel.spi.Registry;

/**
 * The beans the route files call, built from the settings once {@link BusLifecycle} has resolved them. Every bean is
 * bound under its class's simple name, the name the route files use ({@code ref: DeliveryBatches}). This class knows
 * the generic parts only; each platform's beans, batch rules and sandbox come from its
 * {@link PlatformDescriptor}.
 */
public final class BusConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        String brokers = settings.require("camel.component.kafka.brokers");

        // each delivery's own item and dead-letter routes and its topics; refused webhooks counted as failed
        // exchanges (JMX)
        ModelCamelContext model = (ModelCamelContext) context;
        model.addModelLifecycleStrategy(new DeliveryRoutes(context));
        DeliveryTopics topics = new DeliveryTopics(context, settings);
        model.addModelLifecycleStrategy(topics);
        context.addLifecycleStrategy(topics);
        context.addRoutePolicyFactory(new RefusalsAsFailures());
        // one event of a delivery batch: a unit of work without Camel's MDC bookkeeping (EventUnitsOfWork)
        context.getCamelContextExtension().addContextPlugin(org.apache.camel.spi.UnitOfWorkFactory.class,
                new io.marketingbus.delivery.EventUnitsOfWork());
        // singleton jobs (master: endpoints) run only on the instance leading their namespace
        CamelClusterService cluster = ClusterServices.create(context, settings, brokers);
        addService(context, cluster, "the cluster service");

        // one Prometheus registry for Camel's own metrics and the bus's, scraped at /observe/metrics
        MeterRegistry meters = registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", meters);
        }
        registry.bind("meterRegistry", meters);
        // Camel's route timings, but for the routes a delivery runs once per event (camel.metrics.enable-route-policy
        // stays false, or they would be timed twice)
        context.addRoutePolicyFactory(new io.marketingbus.ops.RouteTimings(context, meters));
        EventCodec codec = bind(registry, new EventCodec(new EventSchemas()));
        bind(registry, new IngressExchange());
        bind(registry, new EventRecords(codec));

        // where each event went, for operators
        DeliveryRecords records = bind(registry, new DeliveryRecords(brokers,
                settings.get("bus.topics.records", "marketing.delivery-records"),
                settings.getInt("bus.records.max-events", 100_000)));
        AdminEndpoints admin = new AdminEndpoints(context, settings.getInt("camel.management.port", 9876),
                settings.get("bus.admin-token", ""), records, new DeadLetterReplay(brokers));
        // the operator console (docs/console.md): its parts are the ConsolePart beans bound below
        ConsoleAuth consoleAuth = new ConsoleAuth(settings.get("bus.admin-token", ""),
                new ConsoleSessions(Clock.systemUTC(), Duration.ofMinutes(30), 1000));
        ConsoleServer console = new ConsoleServer(context, settings.getInt("camel.management.port", 9876), consoleAuth);
        bind(registry, new io.marketingbus.ops.console.ConsoleDebugger(records, brokers,
                settings.getInt("console.dead-letters.scan-per-topic", 1000)));
        // Hawtio's route diagram and source: Camel's own XML dump fails on concurrent-requests throttles
        context.getCamelContextExtension().addContextPlugin(ModelToXMLDumper.class, new RouteXmlDumper());
        ManagementInfo info = new ManagementInfo(context, settings.getInt("camel.management.port", 9876),
                settings.get("camel.main.profile", "dev"));
        addService(context, records, "the delivery records");
        // the management server's router exists only once the context has started
        addStartupListener(context, new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                started.addService(admin, true, true);
                started.addService(stream(started, settings, brokers, records, consoleAuth), true, true);
                started.addService(console, true, true);
                started.addService(info, true, true);
                ClusterServices.registerLeaderGauges(started, cluster, registry.lookupByNameAndType("meterRegistry",
                        MeterRegistry.class));
            }
        });

        // ingress
        bind(registry, new io.marketingbus.api.ApiDescription());
        IngressResponses ingress = bind(registry, new IngressResponses(meters, records));
        bind(registry, new IngressDeadLetter());
        // source timestamps outside this window are refused (HubSpot retries for about a day, GA4 backdates 72 h)
        bind(registry, new EventTimeWindow(
                Duration.ofMillis(settings.getLong("ingress.event-time.max-age-ms", 259_200_000L)),
                Duration.ofMillis(settings.getLong("ingress.event-time.max-future-ms", 300_000L)), clock));

        // delivery
        DeliveredEvents delivered = bind(registry, new DeliveredEvents(context, brokers,
                settings.getInt("delivery.idempotency.cache-size", 100_000)));
        // stopped with the context: its readers follow the delivered topics until then
        addService(context, delivered, "the delivered-ids readers");
        DestinationBreakers breakers = bind(registry, new DestinationBreakers(
                settings.getInt("delivery.breaker.minimum-calls", 5),
                (float) settings.getDouble("delivery.breaker.failure-rate-percent", 50),
                Duration.ofMillis(settings.getLong("delivery.breaker.open-ms", 15_000)),
                Duration.ofMillis(settings.getLong("delivery.breaker.max-hold-ms", 1_800_000)), meters));
        DeliveryEnvelope envelope = bind(registry, new DeliveryEnvelope(codec, delivered));
        ConsumerLagMetrics lag = new ConsumerLagMetrics(brokers, meters,
                settings.getLong("bus.metrics.lag-interval-seconds", 15));
        addService(context, lag, "the consumer lag metrics");
        // every marketing_bus_* family exists from the start, at zero, for each destination and ingress platform
        // the routes define (the routes are loaded by then)
        MeterRegistry registered = meters;
        addStartupListener(context, (started, alreadyStarted) -> {
            BusMeters.Known known = BusMeters.registerKnown(started, registered);
            known.destinations().forEach(breakers::state);
            lag.expect(known.consumerGroups());
        });
        bind(registry, new DeadLetters(meters, records));
        addService(context, bind(registry, new io.marketingbus.ops.console.OverviewPart(context, clock, records, ingress, lag, breakers, meters)), "the console's overview and KPIs");
        DestinationPacing pacing = new DestinationPacing();
        bind(registry, new PlatformCalls(codec.mapper(), pacing));
        DeliveryRetryPolicy retryPolicy = bind(registry, new DeliveryRetryPolicy(meters, breakers, pacing,
                Duration.ofMillis(settings.getLong("delivery.retry.initial-delay-ms", 500)),
                Duration.ofMillis(settings.getLong("delivery.retry.max-delay-ms", 30_000)),
                settings.getDouble("delivery.retry.multiplier", 2.0),
                settings.getInt("delivery.retry.max-attempts", 8),
                Duration.ofMillis(settings.getLong("delivery.retry.max-elapsed-ms", 120_000))));
        bind(registry, new DeliveryFailureRecorder(retryPolicy));
        retryPolicy.recordRetriesIn(records);
        addService(context, delivered, "the delivered-events writer");

        // the platforms: their beans, how their APIs take many events per call, their sandboxes in dev
        boolean sandboxed = BusLifecycle.sandboxEnabled(settings);
        PlatformSetup setup = new PlatformSetup(context, settings, codec, meters, clock, sandboxed);
        List<BatchRule> rules = new ArrayList<>();
        List<SandboxPlatform> sandboxes = new ArrayList<>();
        for (PlatformDescriptor platform : PlatformDescriptors.all()) {
            platform.bind(setup);
            rules.addAll(platform.batchRules(setup));
            if (sandboxed) {
                sandboxes.addAll(platform.sandboxes(setup));
            }
        }
        BatchCalls batchCalls = new BatchCalls(context, rules, retryPolicy, breakers,
                settings.getInt("delivery.batch.call-threads", 16), meters);
        bind(registry, new DeliveryBatches(context, batchCalls, delivered, records, meters, envelope));
        if (sandboxed) {
            bind(registry, new SandboxHttp(sandboxes, new SandboxFaults()));
        }
    }

    /** The live event stream on the management port, over every topic a delivery consumes. */
    private static EventStream stream(CamelContext context, Settings settings, String brokers, DeliveryRecords records,
                                      ConsoleAuth consoleAuth) {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        for (var route : ((ModelCamelContext) context).getRouteDefinitions()) {
            if (DeliveryRoutes.isDelivery(route)) {
                topics.add(String.valueOf(route.getTemplateParameters().get("topic")));
            }
        }
        List<String> readKeys = java.util.Arrays.stream(settings.get("api.stream.read-keys", "").split(","))
                .map(String::trim).filter(k -> !k.isEmpty()).toList();
        MeterRegistry meters = context.getRegistry().lookupByNameAndType("meterRegistry", MeterRegistry.class);
        return new EventStream(context, settings.getInt("camel.management.port", 9876), brokers, List.copyOf(topics),
                records, StreamAuth.of(settings.get("bus.admin-token", ""), readKeys)
                        .or(consoleAuth::signedInSameOrigin),
                new EventStream.Options(settings.getInt("api.stream.buffer-size", 1000),
                        settings.getInt("api.stream.max-subscribers", 50),
                        Duration.ofMillis(settings.getLong("api.stream.ping-interval-ms", 10_000))), meters);
    }

    private static <T> T bind(Registry registry, T bean) {
        registry.bind(bean.getClass().getSimpleName(), bean);
        return bean;
    }

    private static void addService(CamelContext context, Object service, String what) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + what, e);
        }
    }

    private static void addStartupListener(CamelContext context, org.apache.camel.StartupListener listener) {
        try {
            context.addStartupListener(listener);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register a start-up listener", e);
        }
    }
}

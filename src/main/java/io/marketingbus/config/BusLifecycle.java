package io.marketingbus.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.marketingbus.bus.BusTopics;
import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressRoutes;
import io.marketingbus.platform.PlatformApi;
import io.marketingbus.platform.PlatformDescriptor;
import io.marketingbus.platform.PlatformDescriptors;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * What happens around Camel's own start and stop: the profile's rules (sandbox or live platforms, required
 * settings), the embedded broker started before any route and stopped after all of them, the topics created, and
 * the start-up banner.
 */
public final class BusLifecycle extends MainListenerSupport {

    static final String SANDBOX_ROUTES = "classpath:routes/sandbox/sandbox.camel.yaml";
    static final String DEV_ADMIN_TOKEN = "sandbox-admin";

    private EmbeddedKafkaBroker broker;
    private final Map<String, String> platformModes = new LinkedHashMap<>();
    private String kafkaMode;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Settings settings = new Settings(context);
        PropertiesComponent properties = context.getPropertiesComponent();
        applyEnvironmentToCamelSettings(properties);
        boolean prod = isProd(settings);
        if (!settings.getBoolean("bus.dev-diagnostics", false)) {
            // Camel's dev profile records every message at every step (message history, extended JMX statistics,
            // source locations), which costs most of the CPU per event; the bus's dev profile is about embedded
            // defaults, not diagnostics. bus.dev-diagnostics=true brings them back.
            context.getRegistry().bind("busLeanRuntime", (org.apache.camel.spi.CamelContextCustomizer) c -> {
                c.setMessageHistory(false);
                c.setSourceLocationEnabled(false);
                c.getManagementStrategy().getManagementAgent().setEndpointRuntimeStatisticsEnabled(false);
                c.getManagementStrategy().getManagementAgent().setLoadStatisticsEnabled(false);
                c.getManagementStrategy().getManagementAgent()
                        .setStatisticsLevel(org.apache.camel.ManagementStatisticsLevel.Default);
            });
        }

        List<String> missing = new ArrayList<>();
        resolvePlatforms(settings, properties, prod, missing);
        if (!prod && settings.find("bus.admin-token").isEmpty()) {
            properties.addOverrideProperty("bus.admin-token", DEV_ADMIN_TOKEN);
        }
        // secrets a platform's ingress checks itself (a webhook path secret): filled in dev, required in prod
        for (PlatformDescriptor platform : PlatformDescriptors.all()) {
            platform.devDefaults().forEach((key, value) -> {
                if (settings.find(key).isEmpty()) {
                    if (prod) {
                        missing.add(key);
                    } else {
                        properties.addOverrideProperty(key, value);
                    }
                }
            });
        }
        if (prod && settings.find("camel.component.kafka.brokers").isEmpty()) {
            missing.add("camel.component.kafka.brokers");
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingException(missing);
        }
        if (prod) {
            List<String> insecure = ProdSecrets.problems(settings::find);
            if (!insecure.isEmpty()) {
                throw new InsecureSettingException(insecure);
            }
        }
        // the bus's own route files, then each platform's connector file
        StringBuilder routes = new StringBuilder(settings.require("camel.main.routes-include-pattern"));
        PlatformDescriptors.all().forEach(platform -> routes.append(',').append(platform.routeFile()));
        if (!prod) {
            routes.append(',').append(SANDBOX_ROUTES);
        }
        String included = routes.toString();
        String routesDir = settings.find("bus.routes-dir").orElse(null);
        if (routesDir != null) {
            included = RoutesDirectory.include(included, Path.of(routesDir));
            if (!prod) {
                // edit a route file there and the running bus reloads it
                properties.addOverrideProperty("camel.main.routes-reload-enabled", "true");
                properties.addOverrideProperty("camel.main.routes-reload-directory", Path.of(routesDir).toAbsolutePath().toString());
                properties.addOverrideProperty("camel.main.routes-reload-pattern", "*.camel.yaml");
            }
        }
        properties.addOverrideProperty("camel.main.routes-include-pattern", included);
        // the Vert.x instance the webhook and management servers run on: timeouts, 503 until the ingress routes run
        io.marketingbus.ingress.WebhookServer.install(context, settings.getInt("camel.server.port", 8080),
                java.time.Duration.ofMillis(settings.getLong("bus.server.idle-timeout-ms", 30_000)),
                java.time.Duration.ofMillis(settings.getLong("bus.server.request-timeout-ms", 20_000)));
        startBus(main, settings, properties);
        if (broker != null) {
            // stopped once the context has stopped every route and producer, however the context is stopped
            context.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStopped(CamelContext stopped) {
                    broker.stop();
                }
            });
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        Settings settings = new Settings(main.getCamelContext());
        StartupBanner.print(settings, kafkaMode, platformModes, IngressRoutes.of(main.getCamelContext()));
    }


    /**
     * Camel applies {@code camel.*} settings from the properties files itself and reads the environment only for
     * some prefixes; this makes {@code CAMEL_COMPONENT_KAFKA_BROKERS}, {@code CAMEL_SERVER_PORT} or
     * {@code -Dcamel.server.port} win for every one of them, in the files or not (see {@link CamelEnvironment}),
     * as they do for the bus's own settings.
     */
    static void applyEnvironmentToCamelSettings(PropertiesComponent properties) {
        CamelEnvironment.overrides(properties.loadProperties().stringPropertyNames(), System.getenv(),
                System.getProperties(), CamelEnvironment::factoryOnClasspath).forEach(properties::addOverrideProperty);
    }

    static boolean isProd(Settings settings) {
        return "prod".equals(settings.get("camel.main.profile", "dev"));
    }

    static boolean sandboxEnabled(Settings settings) {
        return !isProd(settings);
    }

    /**
     * Platforms the configuration does not use get a base URL but are neither checked nor shown. A platform with a
     * base URL is live. Without one it is served by the sandbox in dev, and by the vendor's own
     * URL in prod. A live platform needs its credentials; a sandboxed one gets sandbox credentials.
     */
    private void resolvePlatforms(Settings settings, PropertiesComponent properties, boolean prod, List<String> missing) {
        for (PlatformApi platform : PlatformDescriptors.apis()) {
            boolean used = platform.used().test(settings);
            boolean hasUrl = settings.find(platform.baseUrlKey()).isPresent();
            if (hasUrl || prod) {
                String url = settings.find(platform.baseUrlKey()).orElse(platform.vendorBaseUrl().apply(settings));
                if (!hasUrl) {
                    properties.addOverrideProperty(platform.baseUrlKey(), url);
                }
                if (used) {
                    platformModes.put(platform.name(), "live " + url);
                    // "a|b": either will do (a static token, or the credentials to refresh one)
                    platform.requiredKeys().stream()
                            .filter(k -> Arrays.stream(k.split("\\|")).allMatch(a -> settings.find(a).isEmpty()))
                            .map(k -> k.replace("|", " or ")).forEach(missing::add);
                }
            } else {
                int port = settings.getInt("camel.server.port", 8080);
                properties.addOverrideProperty(platform.baseUrlKey(), "http://127.0.0.1:" + port + platform.sandboxPath());
                platform.sandboxValues().forEach((key, value) -> {
                    if (settings.find(key).isEmpty()) {
                        properties.addOverrideProperty(key, value);
                    }
                });
                if (used) {
                    platformModes.put(platform.name(), "sandbox at " + platform.sandboxPath());
                }
            }
        }
    }

    private void startBus(BaseMainSupport main, Settings settings, PropertiesComponent properties) {
        String bootstrap = settings.find("camel.component.kafka.brokers").orElse(null);
        if (bootstrap == null) {
            broker = new EmbeddedKafkaBroker(Path.of(settings.get("bus.data-dir", "./data")),
                    settings.getInt("bus.kafka.port", 9092), settings.getInt("bus.kafka.controller-port", 0));
            try {
                broker.start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Embedded Kafka broker could not start: " + e.getMessage(), e);
            }
            bootstrap = broker.bootstrapServers();
            properties.addOverrideProperty("camel.component.kafka.brokers", bootstrap);
            main.getCamelContext().getRegistry().bind("embeddedBroker", broker);
            kafkaMode = "embedded broker " + bootstrap + " (data in " + Path.of(settings.get("bus.data-dir", "./data")).toAbsolutePath().normalize() + ")";
        } else {
            kafkaMode = "external brokers " + bootstrap;
        }
        try {
            BusTopics.ensure(bootstrap, topics(settings), (short) settings.getInt("bus.topics.replication-factor", 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * The topics every bus has; each delivery's own (flow topic, dead letters, delivered ids) follow from its
     * {@code kafka-delivery} instance ({@link io.marketingbus.bus.DeliveryTopics}).
     */
    private static List<BusTopics.Topic> topics(Settings settings) {
        List<BusTopics.Topic> topics = new ArrayList<>();
        topics.add(BusTopics.Topic.deadLetter(IngressDeadLetter.TOPIC, settings));
        for (String name : list(settings.get("bus.topics.records", ""))) {
            topics.add(new BusTopics.Topic(name, settings.getInt("bus.topics.partitions", 6), Map.of("retention.ms",
                    String.valueOf(settings.getLong("bus.topics.records-retention-ms", 604_800_000L)))));
        }
        for (String name : list(settings.get("bus.topics.state", ""))) {
            topics.add(new BusTopics.Topic(name, 1, Map.of("cleanup.policy", "compact")));
        }
        return topics;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

package io.marketingbus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ConfigMap and the Secret template, as the Deployment hands them to the bus, start it in prod: nothing prod
 * requires is missing (the Secret's placeholders replaced by values as long as real ones), and the bus gets ready on
 * the Kafka cluster they name (here a one-broker cluster this test starts, so replication factor 1).
 */
class ManifestSettingsStartTest {

    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    /**
     * The settings the Deployment's environment gives, by key. The Lease cluster service's settings are left out:
     * it needs a Kubernetes API, which a test has not.
     */
    static Map<String, String> settings(DeployRecipe recipe, String brokers) {
        Map<String, String> keys = DeployRecipe.settingsByVariable();
        Map<String, String> settings = new LinkedHashMap<>();
        recipe.configMap().forEach((variable, value) -> settings.put(keys.get(variable), value));
        recipe.secret().keySet().forEach(variable -> settings.put(keys.get(variable),
                variable.toLowerCase(java.util.Locale.ROOT) + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(16))));
        // the Lease cluster service needs a Kubernetes API (and a jar built with -Pkubernetes): the default, Kafka, elects here
        java.util.List.of("bus.cluster.service", "bus.cluster.kubernetes.namespace", "bus.cluster.kubernetes.pod-name")
                .forEach(settings::remove);
        settings.put("camel.component.kafka.brokers", brokers);
        settings.put("bus.topics.replication-factor", "1");
        return settings;
    }

    @Test
    void theConfigMapAndTheSecretStartTheBusInProd() throws Exception {
        try (EmbeddedKafkaBroker cluster = new EmbeddedKafkaBroker(dir.resolve("cluster"), 0, 0)) {
            cluster.start();
            Map<String, String> settings = settings(DeployRecipe.load(), cluster.bootstrapServers());
            assertThat(settings).containsEntry("camel.main.profile", "prod");
            try (RunningBus bus = RunningBus.start(dir.resolve("data"), settings)) {
                HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.managementUrl("/observe/health/ready"))).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(bus.bootstrapServers()).isEqualTo(cluster.bootstrapServers());
            }
        }
    }

    @Test
    void aSecretLeftOutOfTheSecretStopsProdNamingIt() {
        DeployRecipe recipe = DeployRecipe.load().with(KubernetesManifestsTest.SECRET,
                t -> t.replaceAll("(?m)^  HUBSPOT_CLIENT_SECRET:.*\n", ""));
        Throwable failure = catchThrowable(() -> RunningBus.start(dir.resolve("data"),
                settings(recipe, "127.0.0.1:1")));
        while (failure != null && !(failure instanceof MissingSettingException)) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("hubspot.client-secret (environment variable HUBSPOT_CLIENT_SECRET)");
    }
}

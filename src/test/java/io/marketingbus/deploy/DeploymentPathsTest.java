package io.marketingbus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path the recipe asks the bus for (the Dockerfile's HEALTHCHECK, the Deployment's probes, the Prometheus
 * scrape path) is served by a running bus on its management port, and a health path answers UP.
 */
class DeploymentPathsTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;
    static RunningBus bus;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    /** The management-port paths the recipe names. */
    static List<String> pathsAsked(DeployRecipe recipe) {
        TreeSet<String> paths = new TreeSet<>();
        for (String healthcheck : recipe.dockerfile("HEALTHCHECK")) {
            Matcher url = DockerfileTest.URL.matcher(healthcheck);
            while (url.find()) {
                paths.add(url.group(2));
            }
        }
        JsonNode container = recipe.container();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode path = container.path(probe).path("httpGet").path("path");
            if (!path.isMissingNode()) {
                paths.add(path.asText());
            }
        }
        paths.add(recipe.manifest("Deployment").path("spec").path("template").path("metadata").path("annotations")
                .path("prometheus.io/path").asText());
        return List.copyOf(paths);
    }

    /** The paths the bus does not answer 200 for, and health paths that do not say UP. */
    static List<String> unserved(List<String> paths) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String path : paths) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(bus.managementUrl(path)))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                problems.add(path + " answered " + answer.statusCode());
            } else if (path.contains("/health") && !answer.body().contains("UP")) {
                problems.add(path + " is not UP: " + answer.body());
            }
        }
        return problems;
    }

    @Test
    void everyHealthAndMetricsPathTheRecipeProbesIsServedOnTheManagementPort() throws Exception {
        List<String> paths = pathsAsked(DeployRecipe.load());
        assertThat(paths).contains("/observe/health/live", "/observe/health/ready", "/observe/metrics");
        assertThat(unserved(paths)).isEmpty();
    }

    @Test
    void aPathTheBusDoesNotServeIsCaught() throws Exception {
        DeployRecipe wrong = DeployRecipe.load().with(KubernetesManifestsTest.DEPLOYMENT,
                t -> t.replace("path: /observe/health/live", "path: /observe/healthz"));
        assertThat(unserved(pathsAsked(wrong))).containsExactly("/observe/healthz answered 404");
    }
}

package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route files for integration engineers: validated with file and line, added to or overridden from a directory. */
class RoutesTest {

    @TempDir
    Path dir;

    @Test
    void theShippedRoutesValidate() throws Exception {
        assertThat(RouteValidator.validate(Path.of("src/main/resources/routes"))).isEmpty();
    }

    /**
     * Route files are listed, not found by a wildcard (a wildcard makes Camel unzip the whole jar at every start):
     * every shipped file must be loaded, by the include list, as a platform's connector file, or as the sandbox.
     */
    @Test
    void everyShippedRouteFileIsLoadedAndEveryLoadedFileExists() throws Exception {
        java.util.Properties settings = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("application.properties"))) {
            settings.load(in);
        }
        java.util.Set<String> loaded = new java.util.TreeSet<>();
        for (String entry : settings.getProperty("camel.main.routes-include-pattern").split(",")) {
            loaded.add(entry.trim().replace("classpath:", ""));
        }
        io.marketingbus.platform.PlatformDescriptors.all()
                .forEach(p -> loaded.add(p.routeFile().replace("classpath:", "")));
        loaded.add("routes/sandbox/sandbox.camel.yaml");
        java.util.Set<String> shipped = new java.util.TreeSet<>();
        Path root = Path.of("src/main/resources");
        try (var files = Files.walk(root.resolve("routes"))) {
            files.filter(f -> f.toString().endsWith(".camel.yaml"))
                    .forEach(f -> shipped.add(root.relativize(f).toString().replace('\\', '/')));
        }
        assertThat(loaded).as("route files loaded at start (application.properties, platform descriptors, sandbox)")
                .isEqualTo(shipped);
    }

    @Test
    void aBrokenRouteFileIsReportedWithItsFileAndLine() throws Exception {
        Files.writeString(dir.resolve("broken.camel.yaml"),
                "- route:\n    id: broken-route\n    from:\n      uri: direct:x\n      steps:\n        - lgo:\n            message: hi\n");
        Files.writeString(dir.resolve("twice.camel.yaml"),
                "- route:\n    id: broken-route\n    from:\n      uri: direct:y\n      steps:\n        - log: hi\n"
                        + "- route:\n    id: other\n    from:\n      uri: direct:z\n      steps:\n        - log: hi\n");
        Files.writeString(dir.resolve("again.camel.yaml"),
                "- route:\n    id: other\n    from:\n      uri: direct:w\n      steps:\n        - log: hi\n");

        List<RouteValidator.Problem> problems = RouteValidator.validate(dir);

        assertThat(problems).anySatisfy(p -> {
            assertThat(p.file().getFileName().toString()).isEqualTo("broken.camel.yaml");
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.message()).contains("lgo");
        });
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("route id 'other'"));
    }

    @Test
    void aRoutesDirectoryAddsRoutesAndOverridesShippedFilesByName(@TempDir Path data) throws Exception {
        Files.writeString(dir.resolve("hello.camel.yaml"), """
                - route:
                    id: ops-hello
                    from:
                      uri: platform-http:/hello
                      steps:
                        - setBody:
                            constant: hello from outside the jar
                """);
        String shipped = new String(getClass().getResourceAsStream("/routes/ingress/mailchimp-webhook.camel.yaml").readAllBytes());
        Files.writeString(dir.resolve("mailchimp-webhook.camel.yaml"),
                shipped.replace("method: validated", "method: validated\n                  - setBody:\n"
                        + "                      constant: validated by the overriding file"));

        try (RunningBus bus = RunningBus.start(data, Map.of("bus.routes-dir", dir.toString()))) {
            assertThat(bus.get("/hello").body()).isEqualTo("hello from outside the jar");
            assertThat(bus.get("/webhooks/mailchimp/sandbox").body()).isEqualTo("validated by the overriding file");
            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                    .isEqualTo(200);
        }
    }
}

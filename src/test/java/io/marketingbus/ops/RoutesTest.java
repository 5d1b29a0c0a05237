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

package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every shipped route file validates against Camel's own YAML DSL schema ({@code schema/camelYamlDsl.json} in the
 * camel-yaml-dsl jar), the schema Kaoto and the VS Code Camel tooling check route files with: booleans and numbers
 * are written as such, placeholders only where the schema takes a string.
 */
class RouteSchemaTest {

    static final Path ROUTES = Path.of("src/main/resources/routes");
    static JsonSchema schema;
    final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = RouteSchemaTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("camelYamlDsl.json on the classpath (camel-yaml-dsl)").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    @Test
    void everyShippedRouteFileValidatesAgainstCamelsYamlDslSchema() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROUTES)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(18);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (ValidationMessage message : validate(Files.readString(file))) {
                problems.add(ROUTES.relativize(file) + ": " + message.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theSchemaCheckCatchesQuotedBooleansAndNumbers() throws Exception {
        // the kind of mistake the route files had: a test that cannot fail proves nothing
        String quoted = """
                - route:
                    id: quoted-values
                    from:
                      uri: direct:quoted
                      steps:
                        - throttle:
                            timePeriodMillis: 1000
                            constant: "2"
                - routeConfiguration:
                    id: quoted-config
                    errorHandler:
                      deadLetterChannel:
                        deadLetterUri: direct:dead
                        useOriginalMessage: "true"
                        redeliveryPolicy:
                          maximumRedeliveries: "-1"
                """;
        assertThat(validate(quoted)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("timePeriodMillis"))
                .anySatisfy(m -> assertThat(m).contains("useOriginalMessage"))
                .anySatisfy(m -> assertThat(m).contains("maximumRedeliveries"));
    }

    Set<ValidationMessage> validate(String routes) throws Exception {
        JsonNode tree = yaml.readTree(routes);
        return schema.validate(tree);
    }
}

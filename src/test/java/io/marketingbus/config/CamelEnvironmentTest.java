package io.marketingbus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CamelEnvironmentTest {

    static Map<String, String> overrides(Set<String> fileKeys, Map<String, String> environment, Properties system) {
        return CamelEnvironment.overrides(fileKeys, environment, system, CamelEnvironment::factoryOnClasspath);
    }

    @Test
    void aComponentOptionFromTheEnvironmentAppliesThoughNoFileMentionsIt() {
        assertThat(overrides(Set.of("camel.main.profile"), Map.of("CAMEL_COMPONENT_KAFKA_BROKERS", "kafka-1:9092,kafka-2:9092"),
                new Properties())).containsExactly(Map.entry("camel.component.kafka.brokers", "kafka-1:9092,kafka-2:9092"));
    }

    @Test
    void multiWordOptionsAndComponentNamesAreFoundAsCamelNamesThem() {
        assertThat(overrides(Set.of(), Map.of("CAMEL_COMPONENT_KAFKA_REQUEST_REQUIRED_ACKS", "1",
                "CAMEL_COMPONENT_PLATFORM_HTTP_HANDLE_WRITE_ERRORS", "true", "CAMEL_MANAGEMENT_HOST", "0.0.0.0",
                "CAMEL_SERVER_MAX_BODY_SIZE", "2048"), new Properties()))
                .containsEntry("camel.component.kafka.request-required-acks", "1")
                .containsEntry("camel.component.platform-http.handle-write-errors", "true")
                .containsEntry("camel.management.host", "0.0.0.0")
                .containsEntry("camel.server.max-body-size", "2048")
                .hasSize(4);
    }

    @Test
    void aKeyTheFilesHoldKeepsItsOwnSpelling() {
        assertThat(overrides(Set.of("camel.main.routes-include-pattern", "camel.health.exposure-level"),
                Map.of("CAMEL_MAIN_ROUTES_INCLUDE_PATTERN", "classpath:a.yaml", "CAMEL_HEALTH_EXPOSURE_LEVEL", "full"),
                new Properties())).containsOnly(Map.entry("camel.main.routes-include-pattern", "classpath:a.yaml"),
                Map.entry("camel.health.exposure-level", "full"));
    }

    @Test
    void theEnvironmentWinsOverSystemPropertiesInAnySpelling() {
        Properties system = new Properties();
        system.setProperty("camel.component.kafka.requestRequiredAcks", "0");
        system.setProperty("camel.component.kafka.linger-ms", "5");
        system.setProperty("java.version", "17");
        assertThat(overrides(Set.of(), Map.of("CAMEL_COMPONENT_KAFKA_REQUEST_REQUIRED_ACKS", "all"), system))
                .containsOnly(Map.entry("camel.component.kafka.request-required-acks", "all"),
                        Map.entry("camel.component.kafka.linger-ms", "5"));
    }

    @Test
    void variablesThatNameNoCamelSettingAreLeftAlone() {
        assertThat(overrides(Set.of(), Map.of("CAMEL_HOME", "/opt/camel", "CAMEL_K_INTEGRATION", "x",
                "CAMEL_COMPONENT_KAFKA", "x", "HUBSPOT_BASE_URL", "http://x", "CAMEL__SERVER", "x"), new Properties()))
                .isEmpty();
    }
}

package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

class ProfilesTest {

    @TempDir
    Path dataDir;

    @Test
    void prodRefusesToStartAndNamesEveryMissingSetting() {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> RunningBus.start(dataDir, Map.of("camel.main.profile", "prod")));
        while (failure != null && !(failure instanceof MissingSettingException)) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("hubspot.access-token (environment variable HUBSPOT_ACCESS_TOKEN)")
                .hasMessageContaining("mailchimp.webhook-secret (environment variable MAILCHIMP_WEBHOOK_SECRET)")
                .hasMessageContaining("camel.component.kafka.brokers");
    }

    @Test
    void devServesHubSpotFromTheSandboxAndItsStateIsReadable() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of())) {
            assertThat(bus.context().resolvePropertyPlaceholders("{{hubspot.base-url}}")).endsWith("/sandbox/hubspot");
            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")).statusCode())
                    .isEqualTo(200);

            ObjectMapper mapper = new ObjectMapper();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    mapper.readTree(bus.get("/sandbox/hubspot/contacts").body()).get("total").asInt() == 1);
            JsonNode contact = mapper.readTree(bus.get("/sandbox/hubspot/contacts").body()).at("/results/0/properties");
            assertThat(contact.get("email").asText()).isEqualTo("lucia.martin@example.com");
            assertThat(contact.get("mailchimp_status").asText()).isEqualTo("subscribed");

            assertThat(bus.post("/sandbox/faults/hubspot", "application/json", "{\"status\":503,\"times\":1}").statusCode())
                    .isEqualTo(200);
            assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-unsubscribe.form")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> mapper.readTree(bus.get("/sandbox/hubspot/contacts").body())
                    .at("/results/0/properties/mailchimp_status").asText().equals("unsubscribed"));
            assertThat(mapper.readTree(bus.get("/sandbox/faults/hubspot").body()).get("times").asInt()).isZero();
        }
    }
}

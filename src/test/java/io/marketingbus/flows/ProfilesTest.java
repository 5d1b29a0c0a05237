package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.config.ProdSecrets;
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

    /** Every setting prod requires, with values of the shapes vendors issue. */
    static Map<String, String> prodSettings() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("camel.main.profile", "prod");
        settings.put("camel.component.kafka.brokers", "127.0.0.1:1");
        settings.put("mailchimp.webhook-secret", "0c1f9e4b7a2d58e3c6b1f0a9d8e7c6b5");
        settings.put("hubspot.access-token", "pat-eu1-6f0c2f3e-1b7a-4d2e-9c3f-8a1b2c3d4e5f");
        settings.put("hubspot.client-secret", "2b1e7c9d-4f3a-4e8b-a1c2-9d8e7f6a5b4c");
        settings.put("facebook.access-token", "EAAGm0PX4ZCpsBAKZB2ZCwZBh7x9yQ1rT5uVwXyZaBcDeFgHiJkLmN");
        settings.put("facebook.audience-id", "23847239012340071");
        settings.put("facebook.pixel-id", "1188244410920001");
        settings.put("google-ads.access-token", "ya29.a0AfB_byC1d2E3f4G5h6I7j8K9l0M1n2O3p4Q5r6S7t8U9v0W");
        settings.put("google-ads.developer-token", "Xq8Hc3vR9tLm2Kp7Wn4ZsA");
        settings.put("google-ads.customer-id", "5293047716");
        settings.put("google-ads.user-list-id", "7014628837");
        settings.put("ga4.measurement-id", "G-7Q2X9LKM4B");
        settings.put("ga4.api-secret", "kP3rT8vQ_x2NcW5yZ1a-Bq");
        settings.put("ga4.property-id", "412883901");
        settings.put("ga4.access-token", "ya29.a0AfB_byD9e8F7g6H5i4J3k2L1m0N9o8P7q6R5s4T3u2V1w0X");
        settings.put("mailchimp.api-key", "3f8a1c0e9b7d6a5f4e3d2c1b0a9f8e7d-us21");
        settings.put("mailchimp.list-id", "b7c2e91d3f");
        return settings;
    }

    @Test
    void prodAcceptsCredentialsOfTheShapesVendorsIssue() {
        Map<String, String> settings = prodSettings();
        settings.put("bus.admin-token", "9a8b7c6d5e4f3a2b1c0d9e8f");
        settings.put("activecampaign.api-token", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4");
        settings.put("loyalty.activecampaign.automations.first", "1");
        assertThat(ProdSecrets.problems(key -> java.util.Optional.ofNullable(settings.get(key)))).isEmpty();
    }

    @Test
    void prodRefusesDevValuesAndSecretsTooShortToBeSecretNamingEachSetting() {
        Map<String, String> settings = prodSettings();
        settings.put("hubspot.client-secret", "sandbox");
        settings.put("mailchimp.webhook-secret", "k3y-9x2");
        settings.put("facebook.access-token", "sandbox-facebook");
        settings.put("bus.admin-token", "sandbox-admin");
        settings.put("ga4.measurement-id", "G-SANDBOX");
        settings.put("ga4.api-secret", "Sandbox-Ga4-Secret-2026");
        settings.put("mailchimp.api-key", "sandbox-us1");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> RunningBus.start(dataDir, settings));
        while (failure != null && !(failure instanceof InsecureSettingException)) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(InsecureSettingException.class)
                .hasMessageContaining("hubspot.client-secret (environment variable HUBSPOT_CLIENT_SECRET): a dev/sandbox value")
                .hasMessageContaining("facebook.access-token (environment variable FACEBOOK_ACCESS_TOKEN): a dev/sandbox value")
                .hasMessageContaining("bus.admin-token (environment variable BUS_ADMIN_TOKEN): a dev/sandbox value")
                .hasMessageContaining("ga4.measurement-id (environment variable GA4_MEASUREMENT_ID): a dev/sandbox value")
                .hasMessageContaining("ga4.api-secret (environment variable GA4_API_SECRET): a dev/sandbox value")
                .hasMessageContaining("mailchimp.api-key (environment variable MAILCHIMP_API_KEY): a dev/sandbox value")
                .hasMessageContaining("mailchimp.webhook-secret (environment variable MAILCHIMP_WEBHOOK_SECRET): shorter than 16")
                .hasMessageNotContaining("hubspot.access-token").hasMessageNotContaining("google-ads")
                // names the settings, never their values
                .hasMessageNotContaining("k3y-9x2").hasMessageNotContaining("Sandbox-Ga4-Secret-2026");
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

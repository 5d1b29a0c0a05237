package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.marketingbus.bus.EmbeddedKafkaBroker;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.config.MissingSettingException;
import io.marketingbus.config.ProdSecrets;
import io.marketingbus.support.RunningBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In prod, a flow that uses Salesforce requires the connected app's credentials and refuses the sandbox's. */
class SalesforceProdTest {

    @TempDir
    Path dataDir;

    static <T extends Throwable> Throwable cause(Throwable failure, Class<T> type) {
        while (failure != null && !type.isInstance(failure)) {
            failure = failure.getCause();
        }
        return failure;
    }

    @Test
    void salesforceAsTheCrmRequiresTheConnectedAppsCredentials() {
        Map<String, String> settings = ProfilesTest.prodSettings();
        settings.put("crm.provider", "salesforce");
        Throwable failure = cause(org.assertj.core.api.Assertions.catchThrowable(() -> RunningBus.start(dataDir, settings)),
                MissingSettingException.class);
        assertThat(failure).isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("salesforce.oauth.client-id (environment variable SALESFORCE_OAUTH_CLIENT_ID)")
                .hasMessageContaining("salesforce.oauth.refresh-token");
    }

    @Test
    void theSandboxCredentialsAreRefusedAndRealOnesAccepted() {
        Map<String, String> settings = ProfilesTest.prodSettings();
        settings.put("crm.provider", "both");
        settings.put("salesforce.oauth.client-id", "3MVG9sandboxClientId");
        settings.put("salesforce.oauth.client-secret", "sandbox-salesforce-secret");
        settings.put("salesforce.oauth.refresh-token", "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJYl");
        Throwable failure = cause(org.assertj.core.api.Assertions.catchThrowable(() -> RunningBus.start(dataDir, settings)),
                InsecureSettingException.class);
        assertThat(failure).isInstanceOf(InsecureSettingException.class)
                .hasMessageContaining("salesforce.oauth.client-secret (environment variable SALESFORCE_OAUTH_CLIENT_SECRET): a dev/sandbox value")
                .hasMessageNotContaining("salesforce.oauth.refresh-token");

        settings.put("salesforce.oauth.client-id", "3MVG9A2kN3Bn17hsWsLDatnG5L0Rh7eRKXw0fZQjTt1ycLa");
        settings.put("salesforce.oauth.client-secret", "E1C4A9B2D7F03E5C8A6B1D9F2E4C7A0B3D5F8E1A4C7B0D3E6F9A2C5B8E1D4F7A");
        assertThat(ProdSecrets.problems(key -> java.util.Optional.ofNullable(settings.get(key)))).isEmpty();
    }

    @Test
    void withSalesforceAloneAsTheCrmProdStartsWithoutHubSpotAndRefusesHubSpotWebhooks() throws Exception {
        try (EmbeddedKafkaBroker cluster = new EmbeddedKafkaBroker(dataDir.resolve("cluster"), 0, 0)) {
            cluster.start();
            Map<String, String> settings = ProfilesTest.prodSettings();
            settings.keySet().removeIf(key -> key.startsWith("hubspot."));
            settings.put("camel.component.kafka.brokers", cluster.bootstrapServers());
            settings.put("bus.topics.replication-factor", "1");
            settings.put("bus.admin-token", "9a8b7c6d5e4f3a2b1c0d9e8f");
            settings.put("crm.provider", "salesforce");
            settings.put("salesforce.oauth.client-id", "3MVG9A2kN3Bn17hsWsLDatnG5L0Rh7eRKXw0fZQjTt1ycLa");
            settings.put("salesforce.oauth.client-secret", "E1C4A9B2D7F03E5C8A6B1D9F2E4C7A0B3D5F8E1A4C7B0D3E6F9A2C5B8E1D4F7A");
            settings.put("salesforce.oauth.refresh-token", "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJYl");
            // nothing leaves the machine: the login URL is a closed local port (camel-salesforce logs in lazily)
            settings.put("salesforce.base-url", "http://127.0.0.1:1");
            try (RunningBus bus = RunningBus.start(dataDir.resolve("data"), settings)) {
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.managementUrl("/observe/health/ready"))).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                HttpResponse<String> hubspot = bus.post("/webhooks/hubspot", "application/json", "[]", Map.of(
                        "X-HubSpot-Signature-v3", "c2lnbmF0dXJl", "X-HubSpot-Request-Timestamp",
                        String.valueOf(System.currentTimeMillis())));
                assertThat(hubspot.statusCode()).isEqualTo(401);
                assertThat(hubspot.body()).contains("HubSpot is no flow's CRM");
            }
        }
    }
}

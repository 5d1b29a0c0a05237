package io.marketingbus.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revoked refresh token is a setup error: once the session ends, every login is refused (invalid_grant) and the
 * Salesforce deliveries hold their events on Kafka; none is dead-lettered for it.
 */
class SalesforceRevokedGrantTest {

    static final String SECRET = "s3cret-path-revoke";

    @TempDir
    Path dataDir;

    @Test
    void eventsWaitWhileTheGrantIsRevokedAndNoneIsDeadLettered() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of("crm.provider", "salesforce", "mailchimp.webhook-secret", SECRET,
                "sandbox.oauth.token-lifetime-ms", "2000"))) {
            bus.postForm("/webhooks/mailchimp/" + SECRET, SalesforceFlowsTest.subscribeFor("before-revoke@example.com"));
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.get("/sandbox/salesforce/Lead").body().contains("before-revoke@example.com"));

            HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(bus.url("/sandbox/salesforce/services/oauth2/revoke")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=sandbox-salesforce-refresh")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(200);
            Thread.sleep(2_500);
            bus.postForm("/webhooks/mailchimp/" + SECRET, SalesforceFlowsTest.subscribeFor("after-revoke@example.com"));

            ObjectMapper mapper = new ObjectMapper();
            await().atMost(Duration.ofSeconds(30)).until(() -> mapper.readTree(bus.get("/sandbox/salesforce/tokens").body())
                    .get("loginsRefused").asInt() > 0);
            Thread.sleep(5_000);
            assertThat(bus.get("/sandbox/salesforce/Lead").body()).doesNotContain("after-revoke@example.com");
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions.salesforce.dlq")).isEmpty();
        }
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An event accepted by one run of the bus is delivered by the next, once, and never again after that. */
class RestartExactlyOnceTest {

    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";

    @TempDir
    Path dataDir;
    FakePlatform hubspot;

    @BeforeEach
    void hubspot() {
        hubspot = FakePlatform.hubspot();
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer pat-restart"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
    }

    @AfterEach
    void stopHubspot() {
        hubspot.stop();
    }

    RunningBus bus(boolean deliver) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("hubspot.access-token", "pat-restart");
        settings.put("hubspot.client-secret", "restart-client-secret");
        settings.put("mailchimp.webhook-secret", "restart-secret");
        settings.put("hubspot.subscriptions.enabled", String.valueOf(deliver));
        return RunningBus.startWith(dataDir, settings, hubspot);
    }

    @Test
    void anEventAcceptedBeforeARestartIsDeliveredAfterItExactlyOnce() throws Exception {
        try (RunningBus ingressOnly = bus(false)) {
            assertThat(ingressOnly.postForm("/webhooks/mailchimp/restart-secret", Samples.text("mailchimp-subscribe.form"))
                    .statusCode()).isEqualTo(200);
        }
        assertThat(hubspot.getAllServeEvents()).isEmpty();

        try (RunningBus delivering = bus(true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.getAllServeEvents().size() == 1);
            // a second event after the first proves the consumer went past it rather than stalling
            delivering.postForm("/webhooks/mailchimp/restart-secret", Samples.text("mailchimp-profile.form"));
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.getAllServeEvents().size() == 2);
        }

        try (RunningBus again = bus(true)) {
            again.postForm("/webhooks/mailchimp/restart-secret", Samples.text("mailchimp-cleaned.form"));
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.getAllServeEvents().size() == 3);
        }
        hubspot.verify(1, postRequestedFor(urlEqualTo(UPSERT))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("\"subscribed\"")));
        hubspot.verify(1, postRequestedFor(urlEqualTo(UPSERT))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Martin-Ruiz")));
        hubspot.verify(1, postRequestedFor(urlEqualTo(UPSERT))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("\"cleaned\"")));
    }
}

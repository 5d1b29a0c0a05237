package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of calls reaches HubSpot no faster than hubspot.requests-per-second. The burst is 16 updates of one
 * contact: batching cannot merge them (one contact per call, in order), so they are 16 calls.
 */
class ThrottleTest {

    @TempDir
    Path dataDir;

    @Test
    void sustainedLoadNeverExceedsTheConfiguredRate() throws Exception {
        FakePlatform hubspot = FakePlatform.hubspot();
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/batch/upsert"))
                .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        try (RunningBus bus = RunningBus.startWith(dataDir, Map.of(
                "hubspot.access-token", "pat", "hubspot.client-secret", "unused", "hubspot.requests-per-second", "4"), hubspot)) {
            for (int i = 0; i < 16; i++) {
                assertThat(bus.postForm("/webhooks/mailchimp/sandbox", Samples.text("mailchimp-subscribe.form")
                        .replace("lucia.martin%40", "burst%40").replace("LNAME%5D=Martin", "LNAME%5D=v" + i)
                        .replace("09%3A31%3A07", "09%3A31%3A" + (10 + i))).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.getAllServeEvents().size() == 16);

            List<Long> times = hubspot.findAll(postRequestedFor(urlEqualTo("/crm/v3/objects/contacts/batch/upsert")))
                    .stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
            int busiest = 0;
            for (int i = 0; i < times.size(); i++) {
                int inWindow = 0;
                for (int j = i; j < times.size() && times.get(j) - times.get(i) < 900; j++) {
                    inWindow++;
                }
                busiest = Math.max(busiest, inWindow);
            }
            assertThat(busiest).as("calls within any 0.9 s").isLessThanOrEqualTo(4);
            assertThat(times.get(times.size() - 1) - times.get(0)).as("16 calls at 4/s span at least 3 s")
                    .isGreaterThanOrEqualTo(2900);
        } finally {
            hubspot.stop();
        }
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With loyalty.provider=activecampaign: the customer is synced and added to the tier's automation. */
class ActiveCampaignLoyaltyTest {

    @TempDir
    Path dataDir;
    FakePlatform activeCampaign;

    @BeforeEach
    void fake() {
        activeCampaign = FakePlatform.activeCampaign();
        activeCampaign.stubFor(post(urlEqualTo("/api/3/contact/sync")).withHeader("Api-Token", equalTo("ac-token"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(Samples.text("activecampaign-contact-sync-response.json"))));
        activeCampaign.stubFor(post(urlEqualTo("/api/3/contactAutomations")).withHeader("Api-Token", equalTo("ac-token"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"contactAutomation\":{\"contact\":\"117\",\"automation\":\"42\",\"id\":\"9\"}}")));
    }

    @AfterEach
    void stop() {
        activeCampaign.stop();
    }

    @Test
    void aFirstPurchaseSyncsTheContactAndStartsTheFirstPurchaseAutomation() throws Exception {
        try (RunningBus bus = RunningBus.startWith(dataDir, Map.of(
                "loyalty.provider", "activecampaign",
                "activecampaign.api-token", "ac-token",
                "loyalty.activecampaign.automations.first", "42",
                "loyalty.activecampaign.automations.repeat", "43",
                "loyalty.activecampaign.automations.vip", "44"), activeCampaign)) {
            // the sandbox HubSpot knows Lucia as contact 51
            bus.post("/sandbox/hubspot/crm/v3/objects/contacts/batch/upsert", "application/json",
                    "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"lucia.martin@example.com\",\"properties\":{"
                            + "\"email\":\"lucia.martin@example.com\",\"firstname\":\"Lucia\",\"lastname\":\"Martin\","
                            + "\"phone\":\"+34600112233\"}}]}", Map.of("Authorization", "Bearer sandbox-hubspot"));
            ObjectNode hit = (ObjectNode) Samples.json("ga4-purchase.json").deepCopy();
            hit.remove("timestamp_micros");

            assertThat(bus.post("/mp/collect?measurement_id=G-SANDBOX&api_secret=sandbox", "application/json",
                    hit.toString()).statusCode()).isEqualTo(204);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> activeCampaign.verify(1,
                    postRequestedFor(urlEqualTo("/api/3/contactAutomations"))
                            .withRequestBody(equalToJson(Samples.text("activecampaign-contact-automation-request.json")))));
            activeCampaign.verify(1, postRequestedFor(urlEqualTo("/api/3/contact/sync")).withRequestBody(equalToJson(
                    "{\"contact\":{\"email\":\"lucia.martin@example.com\",\"firstName\":\"Lucia\",\"lastName\":\"Martin\","
                            + "\"phone\":\"+34600112233\"}}")));
        }
    }
}

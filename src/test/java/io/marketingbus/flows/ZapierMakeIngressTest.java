package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.Conversion;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zapier and Make sources into the bus: contact, purchase and custom event with the source's secret; a wrong secret
 * (401, nothing on Kafka), a bad body (400 and an ingress dead letter with the reason), deterministic ids, and the
 * loop guard on the way back out.
 */
class ZapierMakeIngressTest {

    static final String ZAP_CONTACTS = "/hooks/catch/123456/contacts/";
    static final String ZAP_CUSTOM = "/hooks/catch/123456/custom/";
    static final String MAKE = "/abcdefghijklmnopqrstuvwxyz123456";
    static final String SECRET = "crm-sync-secret-0001";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;
    FakePlatform zapier;
    FakePlatform make;

    @BeforeEach
    void fakes() {
        zapier = FakePlatform.started("zapier", "");
        make = FakePlatform.started("make", "");
        for (String path : List.of(ZAP_CONTACTS, ZAP_CUSTOM)) {
            zapier.stubFor(post(urlEqualTo(path)).withHeader("Content-Type", equalTo("application/json"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(Samples.text("zapier-catch-hook-response.json"))));
        }
        make.stubFor(post(urlEqualTo(MAKE)).withHeader("Content-Type", equalTo("application/json"))
                .willReturn(aResponse().withStatus(200).withBody("Accepted")));
    }

    @AfterEach
    void stop() {
        FakePlatform.stopAll(zapier, make);
    }

    @Test
    void contactsPurchasesAndCustomEventsComeInWithTheSecretAndGoOutToTheOtherTool() throws Exception {
        try (RunningBus bus = RunningBus.start(dataDir, Map.of(
                "zapier.enabled", "true",
                "make.enabled", "true",
                "zapier.sources", "crm-sync=" + SECRET,
                "make.sources", "shop=" + SECRET,
                "zapier.hooks", "contacts|http://127.0.0.1:" + zapier.port() + ZAP_CONTACTS + "|marketing.contact.*"
                        + ";custom|http://127.0.0.1:" + zapier.port() + ZAP_CUSTOM + "|marketing.custom.event",
                "make.hooks", "all|http://127.0.0.1:" + make.port() + MAKE + "|marketing.contact.*,marketing.custom.event"))) {
            String contact = "{\"type\":\"contact\",\"email\":\"Lucia.Martin@example.com\",\"first_name\":\"Lucia\","
                    + "\"last_name\":\"Martin\",\"phone\":\"+34 600 11 22 33\",\"consent\":\"yes\"}";

            // wrong secret, unknown source: 401, nothing kept
            assertThat(bus.post("/webhooks/zapier/crm-sync", "application/json", contact,
                    Map.of("X-Bus-Secret", "wrong")).statusCode()).isEqualTo(401);
            assertThat(bus.post("/webhooks/zapier/other", "application/json", contact,
                    Map.of("X-Bus-Secret", SECRET)).statusCode()).isEqualTo(401);
            assertThat(bus.post("/webhooks/zapier/crm-sync", "application/json", contact, Map.of()).statusCode()).isEqualTo(401);

            HttpResponse<String> accepted = bus.post("/webhooks/zapier/crm-sync", "application/json", contact,
                    Map.of("X-Bus-Secret", SECRET));
            assertThat(accepted.statusCode()).isEqualTo(200);
            String id = MAPPER.readTree(accepted.body()).path("id").asText();
            assertThat(id).matches("zap-[0-9a-f]{32}");
            // the same call again is the same event
            assertThat(MAPPER.readTree(bus.post("/webhooks/zapier/crm-sync", "application/json", contact,
                    Map.of("X-Bus-Secret", SECRET)).body()).path("id").asText()).isEqualTo(id);

            List<ConsumerRecord<String, byte[]>> contacts = Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions");
            assertThat(contacts).hasSize(2);
            JsonNode event = MAPPER.readTree(Topics.value(contacts.get(0)));
            assertThat(event.path("type").asText()).isEqualTo("marketing.contact.subscribed");
            assertThat(event.path("source").asText()).isEqualTo("/zapier/crm-sync");
            assertThat(event.path("data").path("contact").path("email").asText()).isEqualTo("lucia.martin@example.com");
            assertThat(event.path("data").path("contact").path("phone").asText()).isEqualTo("+34600112233");
            // the contact reaches HubSpot (flow 1's delivery)
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.get("/sandbox/hubspot/contacts").body()
                    .contains("lucia.martin@example.com"));

            // a purchase, as a form (Webhooks by Zapier's default payload type)
            HttpResponse<String> purchase = bus.post("/webhooks/zapier/crm-sync", "application/x-www-form-urlencoded",
                    "type=purchase&order_id=1001&total=129.90&currency=eur&email=lucia.martin%40example.com",
                    Map.of("X-Bus-Secret", SECRET));
            assertThat(purchase.statusCode()).as(purchase.body()).isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> purchases = Topics.readAll(bus.bootstrapServers(), "marketing.purchases");
            assertThat(purchases).hasSize(1);
            assertThat(purchases.get(0).key()).isEqualTo(Conversion.orderKey("1001"));
            JsonNode conversion = MAPPER.readTree(Topics.value(purchases.get(0))).path("data").path("conversion");
            assertThat(conversion.path("platform").asText()).isEqualTo("zapier");
            assertThat(conversion.path("value").decimalValue()).isEqualByComparingTo("129.90");
            assertThat(conversion.path("currency").asText()).isEqualTo("EUR");

            // a custom event from Make: on marketing.custom-events, sent on to Zapier's hook, not back to Make
            HttpResponse<String> custom = bus.post("/webhooks/make/shop", "application/json",
                    "{\"type\":\"event\",\"event\":\"Webinar Attended\",\"email\":\"lucia.martin@example.com\","
                            + "\"properties\":{\"webinar\":\"Spring launch\",\"minutes\":42}}",
                    Map.of("X-Bus-Secret", SECRET, "Idempotency-Key", "run-77"));
            assertThat(custom.statusCode()).as(custom.body()).isEqualTo(200);
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.custom-events")).hasSize(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> zapier.verify(1, postRequestedFor(urlEqualTo(ZAP_CUSTOM))));
            JsonNode flat = MAPPER.readTree(zapier.findAll(postRequestedFor(urlEqualTo(ZAP_CUSTOM))).get(0).getBodyAsString());
            assertThat(flat.path("event_type").asText()).isEqualTo("marketing.custom.event");
            assertThat(flat.path("source").asText()).isEqualTo("/make/shop");
            assertThat(flat.path("custom").path("event").asText()).isEqualTo("Webinar Attended");
            assertThat(flat.path("custom").path("properties_webinar").asText()).isEqualTo("Spring launch");
            assertThat(flat.toString()).doesNotContain("lucia.martin@example.com");

            // the contact from Zapier went to Make, not back to Zapier
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> make.verify(1, postRequestedFor(urlEqualTo(MAKE))));
            Thread.sleep(1500);
            zapier.verify(0, postRequestedFor(urlEqualTo(ZAP_CONTACTS)));
            make.verify(1, postRequestedFor(urlEqualTo(MAKE)));

            // bad bodies: 400 and kept with the reason; nothing more on the topics
            HttpResponse<String> bad = bus.post("/webhooks/zapier/crm-sync", "application/json",
                    "{\"type\":\"purchase\",\"total\":\"12\",\"currency\":\"EUR\",\"email\":\"a@example.com\"}",
                    Map.of("X-Bus-Secret", SECRET));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("order_id");
            assertThat(bus.post("/webhooks/make/shop", "application/json", "{\"type\":\"lead\"}",
                    Map.of("X-Bus-Secret", SECRET)).statusCode()).isEqualTo(400);
            await().atMost(Duration.ofSeconds(15)).until(() -> Topics.readAll(bus.bootstrapServers(), "marketing.ingress.dlq").size() == 2);
            assertThat(Topics.header(Topics.readAll(bus.bootstrapServers(), "marketing.ingress.dlq").get(0), "bus-dlq-reason"))
                    .contains("order_id is required");
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.purchases")).hasSize(1);
            assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.subscriptions")).hasSize(2);
        }
    }
}

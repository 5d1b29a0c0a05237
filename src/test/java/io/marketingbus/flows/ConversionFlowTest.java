package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.event.Identifiers;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.platform.ga4.Ga4Reconciler;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 3 end to end: GA4 purchase hits sent to the relay → GA4 (forwarded, no clear personal data), HubSpot
 * (customer) and Mailchimp (tier tag), each a WireMock fake of the documented API; and the reconciliation.
 */
class ConversionFlowTest {

    static final String RELAY = "/mp/collect?measurement_id=G-TEST123&api_secret=relay-secret";
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String LIST = "/3.0/lists/a6b5da1054/members/";

    @TempDir
    static Path dataDir;
    static FakePlatform ga4;
    static FakePlatform hubspot;
    static FakePlatform mailchimp;
    static RunningBus bus;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        ga4 = FakePlatform.ga4();
        hubspot = FakePlatform.hubspot();
        mailchimp = FakePlatform.mailchimp();
        ga4.stubFor(post(urlPathEqualTo("/mp/collect")).withQueryParam("measurement_id", equalTo("G-TEST123"))
                .withQueryParam("api_secret", equalTo("relay-secret")).willReturn(aResponse().withStatus(204)));
        ga4.stubFor(post(urlEqualTo("/v1beta/properties/4242:runReport")).withHeader("Authorization", equalTo("Bearer ga4-token"))
                .willReturn(Fakes.json("{\"rows\":[],\"rowCount\":0}")));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer pat-conv"))
                .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(10)
                .willReturn(Fakes.json("{\"total\":0,\"results\":[]}")));
        mailchimp.stubFor(put(urlPathMatching(LIST + "[0-9a-f]{32}"))
                .withBasicAuth("marketing-bus", "mc-key-us21").willReturn(Fakes.json("{\"status\":\"transactional\"}")));
        mailchimp.stubFor(post(urlPathMatching(LIST + "[0-9a-f]{32}/tags"))
                .withBasicAuth("marketing-bus", "mc-key-us21").willReturn(aResponse().withStatus(204)));
        bus = RunningBus.startWith(dataDir, Map.ofEntries(
                Map.entry("mailchimp.webhook-secret", "unused"),
                Map.entry("ga4.data-api-url", ga4.baseUrl()),
                Map.entry("ga4.measurement-id", "G-TEST123"),
                Map.entry("ga4.api-secret", "relay-secret"),
                Map.entry("ga4.property-id", "4242"),
                Map.entry("ga4.access-token", "ga4-token"),
                Map.entry("ga4.reconcile-cron", "0/1 * * * * ?"),
                Map.entry("hubspot.access-token", "pat-conv"),
                Map.entry("hubspot.client-secret", "unused"),
                Map.entry("mailchimp.api-key", "mc-key-us21"),
                Map.entry("mailchimp.list-id", "a6b5da1054"),
                Map.entry("loyalty.provider", "mailchimp"),
                Map.entry("loyalty.vip-amount", "500")), ga4, hubspot, mailchimp);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        FakePlatform.stopAll(ga4, hubspot, mailchimp);
    }


    /** HubSpot knows this contact under its id, with this purchase history. */
    static void crmKnows(String id, String email, int orderCount, String orderTotal) {
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer pat-conv"))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo(id)))
                .willReturn(Fakes.json("{\"total\":1,\"results\":[{\"id\":\"" + id + "\",\"properties\":{\"email\":\"" + email
                        + "\",\"firstname\":\"Lucia\",\"lastname\":\"Martin\",\"order_count\":\"" + orderCount
                        + "\",\"order_total\":\"" + orderTotal + "\"}}]}")));
    }

    /** The shared GA4 sample for another user and transaction, sent now. */
    ObjectNode purchase(String userId, String transactionId, double value) {
        return Ga4Hits.purchaseByUser(userId, transactionId, value);
    }

    HttpResponse<String> send(JsonNode hit) throws Exception {
        return bus.post(RELAY, "application/json", hit.toString());
    }

    static List<LoggedRequest> tagsFor(String email) {
        return mailchimp.findAll(postRequestedFor(urlPathEqualTo(LIST + Identifiers.md5Hex(email) + "/tags")));
    }

    static List<LoggedRequest> upsertsWith(String text) {
        return hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)).withRequestBody(containing(text)));
    }

    @Test
    void aPurchaseMakesACustomerInHubSpotAndStartsTheFirstPurchaseJourney() throws Exception {
        crmKnows("51", "lucia.martin@example.com", 0, "0");
        ObjectNode hit = purchase("hs-contact-51", "T-100234", 129.9);
        hit.putObject("user_data").put("email_address", "Lucia.Martin@Example.com");

        assertThat(send(hit).statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(30)).until(() -> tagsFor("lucia.martin@example.com").size() == 1
                && upsertsWith("ga4-T-100234").size() == 1);
        JsonNode properties = mapper.readTree(upsertsWith("ga4-T-100234").get(0).getBodyAsString()).at("/inputs/0/properties");
        assertThat(properties.get("lifecyclestage").asText()).isEqualTo("customer");
        assertThat(properties.get("last_order_value").asText()).isEqualTo("129.9");
        assertThat(properties.get("last_order_currency").asText()).isEqualTo("EUR");
        assertThat(properties.get("order_count").asText()).isEqualTo("1");
        assertThat(properties.get("order_total").asText()).isEqualTo("129.9");
        mailchimp.verify(putRequestedFor(urlPathEqualTo(LIST + "11bdbce20ae820532b1a7dfbbcae11a7"))
                .withRequestBody(matchingJsonPath("$.email_address", equalTo("lucia.martin@example.com")))
                .withRequestBody(matchingJsonPath("$.status_if_new", equalTo("transactional"))));
        assertThat(mapper.readTree(tagsFor("lucia.martin@example.com").get(0).getBodyAsString())).isEqualTo(mapper.readTree(
                "{\"tags\":[{\"name\":\"loyalty-first-purchase\",\"status\":\"active\"}],\"is_syncing\":false}"));
        // GA4 gets the hit with the e-mail hashed, nothing else changed
        ObjectNode expected = hit.deepCopy();
        expected.putObject("user_data").putArray("sha256_email_address").add(Identifiers.sha256Hex("lucia.martin@example.com"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ga4.verify(1, postRequestedFor(urlPathEqualTo("/mp/collect"))
                .withRequestBody(equalToJson(expected.toString()))));
        assertThat(ga4.findAll(postRequestedFor(urlPathEqualTo("/mp/collect"))).toString()).doesNotContain("Lucia.Martin");
    }

    @Test
    void mailchimpsEchoOfTheLoyaltyWriteIsNotTreatedAsNews() throws Exception {
        crmKnows("91", "echo@example.com", 0, "0");
        send(purchase("hs-contact-91", "T-ECHO", 15));
        await().atMost(Duration.ofSeconds(30)).until(() -> tagsFor("echo@example.com").size() == 1);

        String subscribe = Samples.text("mailchimp-subscribe.form").replace("lucia.martin%40example.com", "echo%40example.com");
        HttpResponse<String> echo = bus.postForm("/webhooks/mailchimp/unused", subscribe);
        HttpResponse<String> news = bus.postForm("/webhooks/mailchimp/unused",
                subscribe.replace("echo%40example.com", "someone-else%40example.com"));

        assertThat(mapper.readTree(echo.body()).get("status").asText()).isEqualTo("ignored");
        assertThat(mapper.readTree(echo.body()).get("reason").asText()).contains("own write");
        assertThat(mapper.readTree(news.body()).get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void theSamePurchaseTwiceStartsNoSecondLoyaltyAction() throws Exception {
        crmKnows("61", "twice-buyer@example.com", 0, "0");
        ObjectNode hit = purchase("hs-contact-61", "T-TWICE", 50);

        send(hit);
        send(hit);
        send(purchase("hs-contact-61", "T-TWICE-LATER", 50));

        await().atMost(Duration.ofSeconds(30)).until(() -> tagsFor("twice-buyer@example.com").size() == 2);
        assertThat(upsertsWith("ga4-T-TWICE\"")).hasSize(1);
        assertThat(tagsFor("twice-buyer@example.com")).hasSize(2);
    }

    @Test
    void tiersFollowThePurchaseHistory() throws Exception {
        crmKnows("71", "repeat-buyer@example.com", 1, "100");
        crmKnows("72", "vip-buyer@example.com", 3, "440");
        crmKnows("73", "almost-vip@example.com", 3, "439.99");

        send(purchase("hs-contact-71", "T-REPEAT", 80));
        send(purchase("hs-contact-72", "T-VIP", 60));
        send(purchase("hs-contact-73", "T-ALMOST", 60));

        await().atMost(Duration.ofSeconds(30)).until(() -> tagsFor("repeat-buyer@example.com").size() == 1
                && tagsFor("vip-buyer@example.com").size() == 1 && tagsFor("almost-vip@example.com").size() == 1);
        assertThat(tagsFor("repeat-buyer@example.com").get(0).getBodyAsString()).contains("loyalty-repeat");
        assertThat(tagsFor("vip-buyer@example.com").get(0).getBodyAsString()).contains("loyalty-vip");
        assertThat(tagsFor("almost-vip@example.com").get(0).getBodyAsString()).contains("loyalty-repeat");
        JsonNode vip = mapper.readTree(upsertsWith("ga4-T-VIP").get(0).getBodyAsString()).at("/inputs/0/properties");
        assertThat(vip.get("order_count").asText()).isEqualTo("4");
        assertThat(vip.get("order_total").asText()).isEqualTo("500");
    }

    @Test
    void aPurchaseWhoseCustomerCannotBeFoundIsDeadLetteredWithThatReason() throws Exception {
        assertThat(send(purchase("hs-contact-999", "T-NOBODY", 10)).statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(bus.bootstrapServers(),
                "marketing.purchases.resolver.dlq").stream().anyMatch(r -> Topics.value(r).contains("T-NOBODY")
                && Topics.header(r, "bus-dlq-reason").contains("contact cannot be resolved")));
        assertThat(upsertsWith("ga4-T-NOBODY")).isEmpty();
    }

    @Test
    void theRelayRefusesAWrongSecretAndWhatGa4WouldRefuse() throws Exception {
        ObjectNode hit = purchase("hs-contact-51", "T-FORGED", 10);
        HttpResponse<String> forged = bus.post("/mp/collect?measurement_id=G-TEST123&api_secret=guess", "application/json",
                hit.toString());
        ObjectNode tooMany = purchase("hs-contact-51", "T-TOO-MANY", 10);
        for (int i = 0; i < 25; i++) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) tooMany.get("events")).addObject().put("name", "page_view");
        }
        HttpResponse<String> invalid = send(tooMany);
        ObjectNode pageView = purchase("hs-contact-51", "T-NONE", 10);
        ((ObjectNode) pageView.get("events").get(0)).put("name", "view_item");
        ((ObjectNode) pageView.at("/events/0/params")).put("transaction_id", "T-VIEW-ONLY");
        assertThat(send(pageView).statusCode()).isEqualTo(204);

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("at most 25 events");
        await().atMost(Duration.ofSeconds(30)).until(() -> !ga4.findAll(postRequestedFor(urlPathEqualTo("/mp/collect"))
                .withRequestBody(containing("T-VIEW-ONLY"))).isEmpty());
        assertThat(ga4.findAll(postRequestedFor(urlPathEqualTo("/mp/collect")).withRequestBody(containing("T-FORGED")))).isEmpty();
        assertThat(ga4.findAll(postRequestedFor(urlPathEqualTo("/mp/collect")).withRequestBody(containing("T-TOO-MANY")))).isEmpty();
        assertThat(upsertsWith("T-VIEW-ONLY")).isEmpty();
    }

    @Test
    void reconciliationNamesThePurchaseGa4CountedAndTheBusDidNotDeliver() throws Exception {
        crmKnows("81", "reconciled@example.com", 0, "0");
        send(purchase("hs-contact-81", "T-RECONCILED", 20));
        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsWith("ga4-T-RECONCILED").size() == 1);
        // an order its store reported first (Shopify, order name T-STORE-FIRST, the dev secret): delivered too, and
        // GA4's copy of it would be skipped as a duplicate
        ObjectNode order = (ObjectNode) Samples.json("shopify-order.json").deepCopy();
        order.put("name", "T-STORE-FIRST").put("id", 9100).put("email", "store-first@example.com");
        ((ObjectNode) order.get("customer")).put("email", "store-first@example.com");
        assertThat(bus.post("/webhooks/shopify", "application/json", order.toString(), Map.of(
                "X-Shopify-Topic", "orders/paid", "X-Shopify-Shop-Domain", "example-store.myshopify.com",
                "X-Shopify-Webhook-Id", "w-store-first", "X-Shopify-Hmac-Sha256", StoreWebhookSecrets.sign(
                        "shpss_test_webhook_secret_1234", order.toString().getBytes(StandardCharsets.UTF_8))))
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> upsertsWith("store-first@example.com").size() == 1);
        ga4.stubFor(post(urlEqualTo("/v1beta/properties/4242:runReport")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.dimensions[0].name", equalTo("transactionId")))
                .willReturn(Fakes.json(Samples.text("ga4-runreport-response.json")
                        .replace("\"T-100234\"", "\"T-RECONCILED\"}]},{\"dimensionValues\":[{\"value\":\"T-NEVER-SEEN\"},{\"value\":\"202601050801\"}],\"metricValues\":[{\"value\":\"5\"},{\"value\":\"1\"}]},{\"dimensionValues\":[{\"value\":\"T-STORE-FIRST\"},{\"value\":\"202601050802\"}],\"metricValues\":[{\"value\":\"5\"},{\"value\":\"1\"")
                        .replace("\"rowCount\": 1", "\"rowCount\": 3"))));
        Ga4Reconciler reconciler = bus.context().getRegistry().lookupByNameAndType("Ga4Reconciler", Ga4Reconciler.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> reconciler.last() != null && reconciler.last().counted() == 3);

        assertThat(reconciler.last().missing()).containsExactly("T-NEVER-SEEN");
        assertThat(reconciler.last().accuracy()).isCloseTo(2 / 3.0, within(1e-9));
        var gauge = bus.context().getRegistry().lookupByNameAndType("meterRegistry",
                io.micrometer.core.instrument.MeterRegistry.class).find("marketing_bus_ga4_sync_accuracy").gauge();
        assertThat(gauge.value()).isCloseTo(2 / 3.0, within(1e-9));
    }
}

package io.marketingbus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.marketingbus.event.Identifiers;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.support.EventStory;
import io.marketingbus.support.FakePlatform;
import io.marketingbus.support.Fakes;
import io.marketingbus.support.Ga4Hits;
import io.marketingbus.support.RunningBus;
import io.marketingbus.support.Samples;
import io.marketingbus.support.StoreWebhooks;
import io.marketingbus.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 3 fed by the stores, end to end: signed Shopify and WooCommerce webhooks into the real ingress, GA4 purchases
 * into the relay, and what reaches HubSpot (the customer's order count and total) and Mailchimp (the loyalty tag),
 * each a WireMock fake of the documented API. One order from two sources is counted once.
 */
class StoreOrdersFlowTest {

    static final String SHOP = "example-store.myshopify.com";
    static final String SHOPIFY_SECRET = "shpss_test_webhook_secret_1234";
    static final String SHOPIFY_ROTATED = "shpss_rotated_secret_after_2026";
    static final String WC_STORE = "shop.example.com";
    static final String WC_SECRET = "wc_webhook_secret_abc123";
    static final String RELAY = "/mp/collect?measurement_id=G-TEST123&api_secret=relay-secret";
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String LIST = "/3.0/lists/a6b5da1054/members/";

    @TempDir
    static Path dataDir;
    static FakePlatform ga4;
    static FakePlatform hubspot;
    static FakePlatform mailchimp;
    static RunningBus bus;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        ga4 = FakePlatform.ga4();
        hubspot = FakePlatform.hubspot();
        mailchimp = FakePlatform.mailchimp();
        ga4.stubFor(post(urlPathEqualTo("/mp/collect")).withQueryParam("measurement_id", equalTo("G-TEST123"))
                .withQueryParam("api_secret", equalTo("relay-secret")).willReturn(aResponse().withStatus(204)));
        hubspot.stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer pat-store"))
                .willReturn(Fakes.json(Samples.text("hubspot-contacts-batch-upsert-response.json"))));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).withHeader("Authorization", equalTo("Bearer pat-store"))
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
                Map.entry("hubspot.access-token", "pat-store"),
                Map.entry("hubspot.client-secret", "unused"),
                Map.entry("mailchimp.api-key", "mc-key-us21"),
                Map.entry("mailchimp.list-id", "a6b5da1054"),
                Map.entry("loyalty.provider", "mailchimp"),
                Map.entry("loyalty.vip-amount", "100000"),
                // the docs' secret for every shop, and a rotated one for the sample's shop
                Map.entry("shopify.webhook-secrets", SHOPIFY_SECRET + "," + SHOP + "=" + SHOPIFY_ROTATED),
                Map.entry("woocommerce.webhook-secrets", WC_STORE + "=" + WC_SECRET)), ga4, hubspot, mailchimp);
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        FakePlatform.stopAll(ga4, hubspot, mailchimp);
    }

    // ---- senders -------------------------------------------------------------------------------------------------

    static HttpResponse<String> shopify(String topic, String webhookId, String body, String secret) throws Exception {
        return StoreWebhooks.shopify(bus, SHOP, topic, webhookId, body, StoreWebhooks.sign(secret, body));
    }

    static HttpResponse<String> shopify(String topic, String webhookId, JsonNode body) throws Exception {
        return shopify(topic, webhookId, body.toString(), SHOPIFY_SECRET);
    }

    static HttpResponse<String> woocommerce(String topic, String deliveryId, String body, String secret) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-WC-Webhook-Source", "https://" + WC_STORE + "/");
        headers.put("X-WC-Webhook-Topic", topic);
        headers.put("X-WC-Webhook-Resource", topic.substring(0, topic.indexOf('.')));
        headers.put("X-WC-Webhook-Event", topic.substring(topic.indexOf('.') + 1));
        headers.put("X-WC-Webhook-ID", "3");
        headers.put("X-WC-Webhook-Delivery-ID", deliveryId);
        headers.put("X-WC-Webhook-Signature", StoreWebhookSecrets.sign(secret, body.getBytes(StandardCharsets.UTF_8)));
        return bus.post("/webhooks/woocommerce", "application/json", body, headers);
    }

    /** The Shopify sample order for another customer and order name. */
    static ObjectNode shopifyOrder(String email, String name, long id) {
        ObjectNode order = (ObjectNode) Samples.json("shopify-order.json").deepCopy();
        order.put("email", email).put("contact_email", email).put("name", name).put("id", id);
        ((ObjectNode) order.get("customer")).put("email", email);
        return order;
    }

    static ObjectNode wooOrder(String email, int id) {
        ObjectNode order = (ObjectNode) Samples.json("woocommerce-order.json").deepCopy();
        order.put("id", id).put("number", String.valueOf(id));
        ((ObjectNode) order.get("billing")).put("email", email);
        return order;
    }

    static HttpResponse<String> ga4Purchase(String email, String transactionId, Double value) throws Exception {
        return bus.post(RELAY, "application/json", Ga4Hits.purchaseByEmail(email, transactionId, value).toString());
    }

    // ---- what the fakes saw --------------------------------------------------------------------------------------

    /** The properties of every HubSpot upsert input for this e-mail, in the order HubSpot received them. */
    static List<JsonNode> hubspotUpserts(String email) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (LoggedRequest request : hubspot.findAll(postRequestedFor(urlEqualTo(UPSERT)))) {
            for (JsonNode input : MAPPER.readTree(request.getBodyAsString()).path("inputs")) {
                if (email.equals(input.path("id").asText())) {
                    found.add(input.path("properties"));
                }
            }
        }
        return found;
    }

    static List<LoggedRequest> tagsFor(String email) {
        return mailchimp.findAll(postRequestedFor(urlPathEqualTo(LIST + Identifiers.md5Hex(email) + "/tags")));
    }

    /** Where the event went ("<stage> <outcome>": "resolver skipped", "loyalty delivered", ...), as an operator asks. */
    static List<String> story(String eventId) throws Exception {
        return EventStory.of(bus, eventId);
    }

    /** Waits until the event has had this outcome at this stage: what did not happen afterwards will not happen. */
    static void awaitStory(String eventId, String step) {
        await().atMost(Duration.ofSeconds(30)).until(() -> story(eventId).contains(step));
    }

    // ---- tests ---------------------------------------------------------------------------------------------------

    @Test
    void theSignedShopifySampleReachesHubSpotAndTheLoyaltyJourneyOnceEvenWhenRedelivered() throws Exception {
        String raw = Samples.text("shopify-order.json");
        String vector = Samples.vectors().at("/signatures/shopify/value").asText();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Shopify-Topic", "orders/create");
        headers.put("X-Shopify-Shop-Domain", SHOP);
        headers.put("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
        headers.put("X-Shopify-Hmac-Sha256", vector);

        HttpResponse<String> first = bus.post("/webhooks/shopify", "application/json", raw, headers);
        HttpResponse<String> again = bus.post("/webhooks/shopify", "application/json", raw, headers);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(first.body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(again.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> tagsFor("lucia.martin@example.com").size() == 1
                && hubspotUpserts("lucia.martin@example.com").size() == 1);
        awaitStory("shopify-b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "loyalty delivered");
        List<JsonNode> upserts = hubspotUpserts("lucia.martin@example.com");
        assertThat(upserts).hasSize(1);
        assertThat(upserts.get(0).get("order_count").asText()).isEqualTo("1");
        assertThat(upserts.get(0).get("order_total").asText()).isEqualTo("107.36");
        assertThat(upserts.get(0).get("last_order_value").asText()).isEqualTo("107.36");
        assertThat(tagsFor("lucia.martin@example.com")).hasSize(1);
        assertThat(tagsFor("lucia.martin@example.com").get(0).getBodyAsString()).contains("loyalty-first-purchase");
        // both copies of the webhook are on the topic with one id: the second is a redelivery, not a new event
        List<String> ids = Topics.readAll(bus.bootstrapServers(), "marketing.purchases").stream()
                .map(r -> Topics.value(r)).filter(v -> v.contains("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"))
                .map(v -> readId(v)).distinct().toList();
        assertThat(ids).containsExactly("shopify-b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
    }

    @Test
    void aWrongSignatureIsRefusedAndTheRotatedSecretAccepted() throws Exception {
        ObjectNode order = shopifyOrder("rotated@example.com", "#1101", 1101);
        HttpResponse<String> wrong = shopify("orders/create", "w-wrong", order.toString(), "shpss_not_the_secret_000000");
        HttpResponse<String> rotated = shopify("orders/create", "w-rotated", order.toString(), SHOPIFY_ROTATED);
        String wc = wooOrder("wc-wrong@example.com", 4801).toString();
        HttpResponse<String> wcWrong = woocommerce("order.created", "d-wrong", wc, "wc_not_the_secret");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wcWrong.statusCode()).isEqualTo(401);
        assertThat(rotated.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts("rotated@example.com").size() == 1);
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.purchases").stream()
                .noneMatch(r -> Topics.value(r).contains("w-wrong") || Topics.value(r).contains("wc-wrong@"))).isTrue();
    }

    @Test
    void anOrderSeenByGa4FirstThenByShopifyIsCountedOnceAndTheStoreFillsTheValue() throws Exception {
        String email = "ga4-first@example.com";
        // GA4's tag sent no value: the store's copy brings it
        assertThat(ga4Purchase(email, "#2001", null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 1);
        assertThat(shopify("orders/create", "w-2001", shopifyOrder(email, "#2001", 2001)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 2);
        awaitStory("shopify-w-2001", "loyalty skipped");
        List<JsonNode> upserts = hubspotUpserts(email);
        assertThat(upserts).hasSize(2);
        assertThat(upserts.get(0).get("order_count").asText()).isEqualTo("1");
        assertThat(upserts.get(0).get("order_total").asText()).isEqualTo("0");
        assertThat(upserts.get(1).get("order_count").asText()).isEqualTo("1");
        assertThat(upserts.get(1).get("order_total").asText()).isEqualTo("107.36");
        assertThat(upserts.get(1).get("last_order_value").asText()).isEqualTo("107.36");
        assertThat(tagsFor(email)).hasSize(1);
    }

    @Test
    void anOrderSeenByShopifyFirstThenByGa4IsCountedOnce() throws Exception {
        String email = "store-first@example.com";
        assertThat(shopify("orders/paid", "w-3001", shopifyOrder(email, "#3001", 3001)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 1);
        assertThat(ga4Purchase(email, "#3001", 107.36).statusCode()).isEqualTo(204);
        // a later order of the same customer is counted: the dedup is per order
        assertThat(ga4Purchase(email, "#3002", 20.0).statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 2);
        awaitStory("ga4-#3001", "resolver skipped");
        awaitStory("ga4-#3002", "loyalty delivered");
        List<JsonNode> upserts = hubspotUpserts(email);
        assertThat(upserts).hasSize(2);
        assertThat(upserts.get(0).get("order_count").asText()).isEqualTo("1");
        assertThat(upserts.get(1).get("order_count").asText()).isEqualTo("2");
        assertThat(upserts.get(1).get("order_total").asText()).isEqualTo("127.36");
        assertThat(tagsFor(email)).hasSize(2);
    }

    @Test
    void ordersUpdatedBeforeOrdersCreateIsOnePurchase() throws Exception {
        String email = "out-of-order@example.com";
        ObjectNode order = shopifyOrder(email, "#4001", 4001);
        assertThat(shopify("orders/updated", "w-4001-updated", order).statusCode()).isEqualTo(200);
        assertThat(shopify("orders/create", "w-4001-create", order).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 1 && tagsFor(email).size() == 1);
        awaitStory("shopify-w-4001-create", "resolver skipped");
        assertThat(hubspotUpserts(email)).hasSize(1);
        assertThat(tagsFor(email)).hasSize(1);
    }

    @Test
    void aRefundAndThenTheCancellationLowerTheTotalAndTheCount() throws Exception {
        String email = "refunded@example.com";
        ObjectNode order = shopifyOrder(email, "#5001", 5001);
        shopify("orders/create", "w-5001", order);
        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 1);
        JsonNode refund = MAPPER.readTree("{\"id\":95001,\"order_id\":5001,\"created_at\":\"2026-01-06T10:00:00+01:00\","
                + "\"transactions\":[{\"kind\":\"refund\",\"status\":\"success\",\"amount\":\"64.95\"}]}");
        assertThat(shopify("refunds/create", "w-5001-refund", refund).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 2);
        ObjectNode cancelled = order.deepCopy();
        cancelled.put("cancelled_at", "2026-01-06T11:00:00+01:00").put("financial_status", "partially_refunded");
        cancelled.putArray("refunds").add(refund);
        assertThat(shopify("orders/cancelled", "w-5001-cancel", cancelled).statusCode()).isEqualTo(200);
        // the refund again (Shopify retries): taken off once
        assertThat(shopify("refunds/create", "w-5001-refund-retry", refund).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 3);
        awaitStory("shopify-cancel-5001", "loyalty skipped");
        List<JsonNode> upserts = hubspotUpserts(email);
        assertThat(upserts).hasSize(3);
        assertThat(upserts.get(1).get("order_count").asText()).isEqualTo("1");
        assertThat(upserts.get(1).get("order_total").asText()).isEqualTo("53.68");
        assertThat(upserts.get(1).has("last_order_date")).isFalse();
        assertThat(upserts.get(2).get("order_count").asText()).isEqualTo("0");
        assertThat(upserts.get(2).get("order_total").asText()).isEqualTo("0");
        assertThat(tagsFor(email)).hasSize(1);
    }

    @Test
    void testOrdersAndUnpaidOrdersAreNotCounted() throws Exception {
        ObjectNode test = shopifyOrder("test-order@example.com", "#6001", 6001);
        test.put("test", true);
        ObjectNode pending = shopifyOrder("pending@example.com", "#6002", 6002);
        pending.put("financial_status", "pending");
        ObjectNode unpaid = wooOrder("wc-unpaid@example.com", 6003);
        unpaid.put("status", "pending").putNull("date_paid").putNull("date_paid_gmt");

        assertThat(shopify("orders/create", "w-6001", test).statusCode()).isEqualTo(200);
        HttpResponse<String> pendingAnswer = shopify("orders/create", "w-6002", pending);
        HttpResponse<String> unpaidAnswer = woocommerce("order.created", "d-6003", unpaid.toString(), WC_SECRET);
        // a counted order after them, to know the resolver went past them
        shopify("orders/create", "w-6004", shopifyOrder("after-tests@example.com", "#6004", 6004));

        assertThat(MAPPER.readTree(pendingAnswer.body()).get("ignored").asInt()).isEqualTo(1);
        assertThat(MAPPER.readTree(unpaidAnswer.body()).get("ignored").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts("after-tests@example.com").size() == 1);
        awaitStory("shopify-w-6001", "resolver skipped");
        assertThat(hubspotUpserts("test-order@example.com")).isEmpty();
        assertThat(hubspotUpserts("pending@example.com")).isEmpty();
        assertThat(hubspotUpserts("wc-unpaid@example.com")).isEmpty();
        assertThat(tagsFor("test-order@example.com")).isEmpty();
        // the test order is on the bus, flagged
        assertThat(Topics.readAll(bus.bootstrapServers(), "marketing.purchases").stream()
                .anyMatch(r -> Topics.value(r).contains("test-order@example.com") && Topics.value(r).contains("\"test\":true"))).isTrue();
    }

    @Test
    void withoutTheStoresConsentHubSpotIsUpdatedButNoJourneyStarts() throws Exception {
        String email = "no-consent@example.com";
        ObjectNode order = shopifyOrder(email, "#7001", 7001);
        ((ObjectNode) order.at("/customer/email_marketing_consent")).put("state", "unsubscribed");
        shopify("orders/create", "w-7001", order);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 1);
        awaitStory("shopify-w-7001", "loyalty skipped");
        assertThat(hubspotUpserts(email).get(0).get("order_count").asText()).isEqualTo("1");
        assertThat(tagsFor(email)).isEmpty();
    }

    @Test
    void aPaidWooCommerceOrderIsCountedAndThePingAnswered() throws Exception {
        HttpResponse<String> ping = bus.postForm("/webhooks/woocommerce", Samples.text("woocommerce-webhook-ping.form"));
        assertThat(ping.statusCode()).isEqualTo(200);

        String email = "wc-buyer@example.com";
        assertThat(woocommerce("order.created", "d-4750", wooOrder(email, 4750).toString(), WC_SECRET).statusCode()).isEqualTo(200);
        // GA4's copy of the same order (number 4750): not counted again
        ga4Purchase(email, "4750", 107.36);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts(email).size() == 1 && tagsFor(email).size() == 1);
        awaitStory("ga4-4750", "resolver skipped");
        JsonNode upsert = hubspotUpserts(email).get(0);
        assertThat(upsert.get("order_count").asText()).isEqualTo("1");
        assertThat(upsert.get("order_total").asText()).isEqualTo("107.36");
        assertThat(hubspotUpserts(email)).hasSize(1);
    }

    @Test
    void theSignedWooCommerceSampleIsAccepted() throws Exception {
        String raw = Samples.text("woocommerce-order.json");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-WC-Webhook-Source", "https://" + WC_STORE + "/");
        headers.put("X-WC-Webhook-Topic", "order.created");
        headers.put("X-WC-Webhook-Delivery-ID", "36e520ebabc2fa725092ff4a47acedf2");
        headers.put("X-WC-Webhook-Signature", Samples.vectors().at("/signatures/woocommerce/value").asText());

        HttpResponse<String> answer = bus.post("/webhooks/woocommerce", "application/json", raw, headers);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(answer.body()).get("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void productAndInventoryWebhooksBecomeProductEvents() throws Exception {
        JsonNode product = MAPPER.readTree("""
                {"id":8061536829755,"title":"Premium plan","body_html":"<p>Monthly</p>","vendor":"Example",
                 "handle":"premium-plan","status":"active","updated_at":"2026-01-05T08:00:00+01:00",
                 "variants":[{"id":44012345678901,"title":"Default Title","price":"64.95","sku":"SKU-123",
                   "inventory_item_id":46012345678901,"inventory_management":"shopify","inventory_policy":"deny","inventory_quantity":3}]}""");
        JsonNode level = MAPPER.readTree(
                "{\"inventory_item_id\":46012345678901,\"location_id\":1,\"available\":0,\"updated_at\":\"2026-01-05T09:00:00+01:00\"}");
        JsonNode unknown = MAPPER.readTree("{\"inventory_item_id\":1,\"location_id\":1,\"available\":0}");

        assertThat(shopify("products/update", "w-product", product).statusCode()).isEqualTo(200);
        assertThat(shopify("inventory_levels/update", "w-inventory", level).statusCode()).isEqualTo(200);
        HttpResponse<String> notKnown = shopify("inventory_levels/update", "w-unknown", unknown);
        assertThat(woocommerce("product.updated", "d-product", MAPPER.readTree("""
                {"id":93,"name":"Premium plan","status":"publish","permalink":"https://shop.example.com/product/premium/",
                 "price":"64.95","stock_status":"instock","date_modified_gmt":"2026-01-05T07:00:00"}""").toString(), WC_SECRET)
                .statusCode()).isEqualTo(200);

        assertThat(MAPPER.readTree(notKnown.body()).get("ignored").asInt()).isEqualTo(1);
        List<JsonNode> events = new ArrayList<>();
        for (var record : Topics.readAll(bus.bootstrapServers(), "marketing.products")) {
            events.add(MAPPER.readTree(Topics.value(record)));
        }
        assertThat(events).extracting(e -> e.get("type").asText() + " " + e.at("/data/product/retailerId").asText()
                        + " " + e.at("/data/product/availability").asText())
                .containsExactlyInAnyOrder(
                        "marketing.product.upserted shopify-44012345678901 in stock",
                        "marketing.product.upserted shopify-44012345678901 out of stock",
                        "marketing.product.upserted woocommerce-shop.example.com-93 in stock");
        // one item's changes share a key, so they stay in order: the product, then its inventory
        List<JsonNode> shopifyItem = events.stream().filter(e -> e.at("/data/product/platform").asText().equals("shopify")).toList();
        assertThat(shopifyItem.get(1).at("/data/product/inventory").asInt()).isEqualTo(0);
        assertThat(shopifyItem.get(1).at("/data/product/availability").asText()).isEqualTo("out of stock");
        assertThat(shopifyItem.get(0).get("subject").asText()).isEqualTo(shopifyItem.get(1).get("subject").asText());
    }

    @Test
    void aShopifyCustomerUpdateReachesHubSpotThroughFlowOne() throws Exception {
        JsonNode customer = MAPPER.readTree("""
                {"id":7012345678902,"email":"Customer.Update@Example.com","first_name":"Lucia","last_name":"Martin",
                 "phone":"+34600112233","updated_at":"2026-01-05T08:00:01+01:00",
                 "email_marketing_consent":{"state":"subscribed","opt_in_level":"single_opt_in"}}""");
        assertThat(shopify("customers/update", "w-customer", customer).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspotUpserts("customer.update@example.com").size() == 1);
        JsonNode properties = hubspotUpserts("customer.update@example.com").get(0);
        assertThat(properties.get("firstname").asText()).isEqualTo("Lucia");
        assertThat(properties.get("phone").asText()).isEqualTo("+34600112233");
    }

    static String readId(String json) {
        try {
            return MAPPER.readTree(json).get("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.marketingbus.platform.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.config.InsecureSettingException;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventTypes;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** Shopify's samples: the signature vector, the order as a canonical purchase, refunds and products. */
class ShopifyTranslatorTest {

    static final String SHOP = "example-store.myshopify.com";
    final ShopifyTranslator translator = new ShopifyTranslator(ShopifyTranslator.OrderKey.NAME, Map.of(), "EUR", Map.of());
    final EventCodec codec = new EventCodec(new io.marketingbus.event.EventSchemas());

    static byte[] order() {
        return Samples.text("shopify-order.json").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleOrderVerifiesWithTheVectorsSecretAndNoOther() {
        JsonNode vector = Samples.vectors().at("/signatures/shopify");
        String secret = vector.get("client_secret").asText();
        String signature = vector.get("value").asText();
        assertThat(signature).startsWith("U6ljtssK");
        assertThat(StoreWebhookSecrets.sign(secret, order())).isEqualTo(signature);
        assertThat(StoreWebhookSecrets.parse(secret).verifies(SHOP, order(), signature)).isTrue();
        assertThat(StoreWebhookSecrets.parse("shpss_another_secret_000000").verifies(SHOP, order(), signature)).isFalse();
        // a rotation: the new secret first, the old one still accepted
        assertThat(StoreWebhookSecrets.parse("shpss_new_secret_after_rotation," + secret).verifies(SHOP, order(), signature)).isTrue();
        // a shop's own secret is not another shop's
        assertThat(StoreWebhookSecrets.parse("other.myshopify.com=" + secret).verifies(SHOP, order(), signature)).isFalse();
        assertThat(StoreWebhookSecrets.parse(SHOP.toUpperCase() + "=" + secret).verifies(SHOP, order(), signature)).isTrue();
        // one changed byte
        byte[] tampered = order();
        tampered[10] ^= 1;
        assertThat(StoreWebhookSecrets.parse(secret).verifies(SHOP, tampered, signature)).isFalse();
        assertThat(StoreWebhookSecrets.parse(secret).verifies(SHOP, order(), "not base64 !")).isFalse();
    }

    @Test
    void prodRefusesTheDocsTestSecretWhichTheReadmeSignsWith() {
        String dev = ShopifyPlatform.DEV_WEBHOOK_SECRET;
        assertThatThrownBy(() -> StoreWebhookSecrets.forProfile("shopify.webhook-secrets", "shpss_real_one_0123456789," + SHOP
                + "=" + dev, false, dev)).isInstanceOf(InsecureSettingException.class)
                .hasMessageContaining("shopify.webhook-secrets (environment variable SHOPIFY_WEBHOOK_SECRETS)")
                .hasMessageNotContaining(dev);
        assertThat(StoreWebhookSecrets.forProfile("shopify.webhook-secrets", dev, true, dev).verifies(SHOP, order(),
                StoreWebhookSecrets.sign(dev, order()))).as("dev takes it").isTrue();
        assertThat(StoreWebhookSecrets.forProfile("shopify.webhook-secrets", "shpss_real_one_0123456789", false, dev)
                .verifies(SHOP, order(), StoreWebhookSecrets.sign("shpss_real_one_0123456789", order()))).isTrue();
    }

    @Test
    void thePaidSampleOrderIsAPurchaseKeyedByItsOrderWithConsentAndBrowserFacts() {
        CloudEvent purchase = translator.toPurchase(SHOP, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", Samples.json("shopify-order.json"));
        codec.toJson(purchase); // valid against the schema
        Conversion c = purchase.data().conversion();
        assertThat(purchase.id()).isEqualTo("shopify-b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
        assertThat(purchase.source()).isEqualTo("/shopify/shops/" + SHOP);
        assertThat(purchase.type()).isEqualTo(EventTypes.PURCHASE_RECEIVED);
        assertThat(purchase.subject()).isEqualTo(Conversion.orderKey("#1001"));
        assertThat(purchase.time()).isEqualTo("2026-01-05T07:00:00Z");
        assertThat(purchase.data().customer().email()).isEqualTo("lucia.martin@example.com");
        assertThat(purchase.data().customer().phone()).isEqualTo("+34600112233");
        assertThat(c.platform()).isEqualTo("shopify");
        assertThat(c.transactionId()).isEqualTo("#1001");
        assertThat(c.orderId()).isEqualTo("5678901234567");
        assertThat(c.value()).isEqualByComparingTo("107.36");
        assertThat(c.tax()).isEqualByComparingTo("22.54");
        assertThat(c.currency()).isEqualTo("EUR");
        assertThat(c.test()).isFalse();
        assertThat(c.marketingConsent()).isTrue();
        assertThat(c.items()).containsExactly(new Conversion.Item("SKU-123", "Premium plan (monthly)", new BigDecimal("64.95"), 2));
        assertThat(c.web().clientIp()).isEqualTo("203.0.113.24");
        assertThat(c.web().userAgent()).startsWith("Mozilla/5.0 (Macintosh");
        assertThat(c.web().url()).isEqualTo("https://" + SHOP + "/?utm_source=facebook&utm_medium=paid&fbclid=IwAR2xExampleClickId");
        assertThat(c.web().fbc()).isEqualTo("fb.1.1767596400000.IwAR2xExampleClickId");
    }

    @Test
    void theOrderKeyIsTheOneTheShopsGa4TagUses() {
        JsonNode order = Samples.json("shopify-order.json");
        ShopifyTranslator perShop = new ShopifyTranslator(ShopifyTranslator.OrderKey.NAME,
                Map.of("numbers.myshopify.com", ShopifyTranslator.OrderKey.NUMBER, "ids.myshopify.com", ShopifyTranslator.OrderKey.ID),
                "EUR", Map.of());
        assertThat(perShop.transactionId(SHOP, order)).isEqualTo("#1001");
        assertThat(perShop.transactionId("numbers.myshopify.com", order)).isEqualTo("1001");
        assertThat(perShop.transactionId("ids.myshopify.com", order)).isEqualTo("5678901234567");
    }

    @Test
    void aTestOrderIsFlaggedAndAPendingOneIsNotPaid() {
        ObjectNode order = (ObjectNode) Samples.json("shopify-order.json").deepCopy();
        order.put("test", true);
        assertThat(translator.toPurchase(SHOP, "w1", order).data().conversion().test()).isTrue();
        order.put("financial_status", "pending");
        assertThat(ShopifyTranslator.isPaid(order)).isFalse();
        ((ObjectNode) order.at("/customer/email_marketing_consent")).put("state", "not_subscribed");
        assertThat(translator.toPurchase(SHOP, "w1", order).data().conversion().marketingConsent()).isFalse();
    }

    @Test
    void aRefundTakesOffItsShareOfTheOrdersValueAndACancellationTheRest() throws Exception {
        JsonNode order = Samples.json("shopify-order.json");
        ShopifyTranslator.OrderFacts facts = translator.facts(SHOP, order);
        assertThat(ShopifyTranslator.OrderFacts.decode(facts.encode())).isEqualTo(facts);
        JsonNode refund = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"id\":929361462,\"order_id\":5678901234567,\"created_at\":\"2026-01-06T10:00:00+01:00\","
                        + "\"transactions\":[{\"kind\":\"refund\",\"status\":\"success\",\"amount\":\"64.95\"}]}");
        CloudEvent refunded = translator.toRefund(SHOP, refund, facts);
        codec.toJson(refunded);
        assertThat(refunded.id()).isEqualTo("shopify-refund-929361462");
        assertThat(refunded.type()).isEqualTo(EventTypes.PURCHASE_REFUNDED);
        assertThat(refunded.subject()).isEqualTo(Conversion.orderKey("#1001"));
        assertThat(refunded.data().conversion().value()).isEqualByComparingTo("53.68");

        ObjectNode cancelled = (ObjectNode) order.deepCopy();
        cancelled.put("cancelled_at", "2026-01-06T11:00:00+01:00");
        cancelled.putArray("refunds").add(refund);
        CloudEvent cancellation = translator.toCancellation(SHOP, cancelled);
        assertThat(cancellation.id()).isEqualTo("shopify-cancel-5678901234567");
        assertThat(cancellation.data().conversion().value()).isEqualByComparingTo("53.68");
    }

    @Test
    void aProductIsOneCatalogItemPerVariantAndInventoryMovesItsAvailability() throws Exception {
        JsonNode product = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"id":8061536829755,"title":"Premium plan","body_html":"<p>Monthly <b>premium</b></p>","vendor":"Example",
                 "handle":"premium-plan","status":"active","updated_at":"2026-01-05T08:00:00+01:00",
                 "image":{"id":1,"src":"https://cdn.shopify.com/p.png"},"images":[{"id":1,"src":"https://cdn.shopify.com/p.png"}],
                 "variants":[{"id":44012345678901,"title":"Default Title","price":"64.95","sku":"SKU-123",
                   "inventory_item_id":46012345678901,"inventory_management":"shopify","inventory_policy":"deny","inventory_quantity":0,"image_id":null}]}""");
        var events = translator.toProducts(SHOP, "w-p", product);
        assertThat(events).hasSize(1);
        codec.toJson(events.get(0));
        var item = events.get(0).data().product();
        assertThat(item.retailerId()).isEqualTo("shopify-44012345678901");
        assertThat(item.title()).isEqualTo("Premium plan");
        assertThat(item.description()).isEqualTo("Monthly premium");
        assertThat(item.link()).isEqualTo("https://" + SHOP + "/products/premium-plan?variant=44012345678901");
        assertThat(item.availability()).isEqualTo("out of stock");
        assertThat(item.price()).isEqualByComparingTo("64.95");
        assertThat(events.get(0).subject()).isEqualTo(item.key());

        JsonNode level = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"inventory_item_id\":46012345678901,\"location_id\":1,\"available\":5,\"updated_at\":\"2026-01-05T09:00:00+01:00\"}");
        CloudEvent inventory = translator.toInventory(SHOP, "w-i", level, "shopify-44012345678901", java.time.Instant.now());
        codec.toJson(inventory);
        assertThat(inventory.data().product().availability()).isEqualTo("in stock");
        assertThat(inventory.data().product().inventory()).isEqualTo(5);
        assertThat(inventory.subject()).isEqualTo(item.key());
    }
}

package io.marketingbus.platform.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.ingress.StoreWebhookSecrets;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** WooCommerce's samples: the signature vector, the paid order as a canonical purchase, refunds, products. */
class WooCommerceTranslatorTest {

    static final String STORE = "shop.example.com";
    final WooCommerceTranslator translator = new WooCommerceTranslator(WooCommerceTranslator.OrderKey.NUMBER, Map.of(),
            "EUR", Map.of(), "");
    final EventCodec codec = new EventCodec(new EventSchemas());
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theSampleOrderVerifiesWithTheVectorsSecretAndNoOther() {
        JsonNode vector = Samples.vectors().at("/signatures/woocommerce");
        byte[] body = Samples.text("woocommerce-order.json").getBytes(StandardCharsets.UTF_8);
        String signature = vector.get("value").asText();
        assertThat(signature).startsWith("JvAL2ZI5");
        String secret = vector.get("secret").asText();
        assertThat(StoreWebhookSecrets.sign(secret, body)).isEqualTo(signature);
        assertThat(StoreWebhookSecrets.parse(STORE + "=" + secret).verifies(STORE, body, signature)).isTrue();
        assertThat(StoreWebhookSecrets.parse(STORE + "=wc_rotated_secret_999," + STORE + "=" + secret)
                .verifies(STORE, body, signature)).isTrue();
        assertThat(StoreWebhookSecrets.parse(STORE + "=wc_wrong_secret_0000000").verifies(STORE, body, signature)).isFalse();
        assertThat(StoreWebhookSecrets.parse("other.example.com=" + secret).verifies(STORE, body, signature)).isFalse();
    }

    @Test
    void thePaidSampleOrderIsAPurchaseKeyedByItsNumber() {
        CloudEvent purchase = translator.toPurchase(STORE, "36e520ebabc2fa725092ff4a47acedf2", Samples.json("woocommerce-order.json"));
        codec.toJson(purchase);
        Conversion c = purchase.data().conversion();
        assertThat(purchase.id()).isEqualTo("wc-shop.example.com-36e520ebabc2fa725092ff4a47acedf2");
        assertThat(purchase.source()).isEqualTo("/woocommerce/stores/shop.example.com");
        assertThat(purchase.subject()).isEqualTo(Conversion.orderKey("4750"));
        assertThat(purchase.time()).isEqualTo("2026-01-05T07:00:00Z");
        assertThat(purchase.data().customer().email()).isEqualTo("lucia.martin@example.com");
        assertThat(c.platform()).isEqualTo("woocommerce");
        assertThat(c.transactionId()).isEqualTo("4750");
        assertThat(c.orderId()).isEqualTo("4750");
        assertThat(c.value()).isEqualByComparingTo("107.36");
        assertThat(c.shipping()).isEqualByComparingTo("0");
        assertThat(c.marketingConsent()).isNull();
        assertThat(c.items()).containsExactly(new Conversion.Item("SKU-123", "Premium plan (monthly)", new BigDecimal("53.68"), 2));
        assertThat(c.web().clientIp()).isEqualTo("203.0.113.24");
        assertThat(WooCommerceTranslator.isPaid(Samples.json("woocommerce-order.json"))).isTrue();
    }

    @Test
    void onlyProcessingOrCompletedOrdersWithAPaymentDateArePaid() {
        ObjectNode order = (ObjectNode) Samples.json("woocommerce-order.json").deepCopy();
        order.put("status", "pending");
        assertThat(WooCommerceTranslator.isPaid(order)).isFalse();
        order.put("status", "on-hold");
        assertThat(WooCommerceTranslator.isPaid(order)).isFalse();
        order.put("status", "processing");
        order.putNull("date_paid");
        assertThat(WooCommerceTranslator.isPaid(order)).isFalse();
    }

    @Test
    void consentComesFromTheConfiguredMetaKey() {
        WooCommerceTranslator withConsent = new WooCommerceTranslator(WooCommerceTranslator.OrderKey.ID, Map.of(), "EUR",
                Map.of(), "_marketing_opt_in");
        ObjectNode order = (ObjectNode) Samples.json("woocommerce-order.json").deepCopy();
        assertThat(withConsent.toPurchase(STORE, "d", order).data().conversion().marketingConsent()).isFalse();
        ((com.fasterxml.jackson.databind.node.ArrayNode) order.get("meta_data")).addObject()
                .put("id", 1).put("key", "_marketing_opt_in").put("value", "yes");
        assertThat(withConsent.toPurchase(STORE, "d", order).data().conversion().marketingConsent()).isTrue();
    }

    @Test
    void refundsAreTheirShareOfTheValueAndACancellationTakesTheRest() throws Exception {
        ObjectNode order = (ObjectNode) Samples.json("woocommerce-order.json").deepCopy();
        order.putArray("refunds").add(mapper.readTree("{\"id\":4761,\"reason\":\"\",\"total\":\"-64.95\"}"));
        var refunds = translator.toRefunds(STORE, order);
        assertThat(refunds).hasSize(1);
        codec.toJson(refunds.get(0));
        assertThat(refunds.get(0).id()).isEqualTo("wc-shop.example.com-refund-4761");
        assertThat(refunds.get(0).type()).isEqualTo(EventTypes.PURCHASE_REFUNDED);
        assertThat(refunds.get(0).data().conversion().value()).isEqualByComparingTo("53.68");
        CloudEvent cancel = translator.toCancellation(STORE, "4750", translator.facts(STORE, order),
                translator.refunded(STORE, order), "2026-01-06T10:00:00Z");
        codec.toJson(cancel);
        assertThat(cancel.data().conversion().value()).isEqualByComparingTo("53.68");
        assertThat(cancel.subject()).isEqualTo(Conversion.orderKey("4750"));
    }

    @Test
    void aProductIsACatalogItemNamedByItsStore() throws Exception {
        JsonNode product = mapper.readTree("""
                {"id":93,"name":"Premium plan","status":"publish","permalink":"https://shop.example.com/product/premium-plan/",
                 "short_description":"<p>Monthly premium</p>","price":"64.95","stock_status":"instock","manage_stock":true,
                 "stock_quantity":7,"images":[{"src":"https://shop.example.com/p.png"}],"date_modified_gmt":"2026-01-05T07:00:00"}""");
        CloudEvent event = translator.toProduct(STORE, "d1", product);
        codec.toJson(event);
        assertThat(event.data().product().retailerId()).isEqualTo("woocommerce-shop.example.com-93");
        assertThat(event.data().product().availability()).isEqualTo("in stock");
        assertThat(event.data().product().inventory()).isEqualTo(7);
        assertThat(event.data().product().description()).isEqualTo("Monthly premium");
        CloudEvent deleted = translator.toProductDeletion(STORE, "d2", mapper.readTree("{\"id\":93}"), "2026-01-05T07:00:00Z");
        codec.toJson(deleted);
        assertThat(deleted.type()).isEqualTo(EventTypes.PRODUCT_DELETED);
        assertThat(deleted.subject()).isEqualTo(event.subject());
    }
}

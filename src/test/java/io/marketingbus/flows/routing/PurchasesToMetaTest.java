package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.platform.facebook.FacebookPurchaseTranslator;
import io.marketingbus.platform.facebook.FacebookPurchaseTranslatorTest;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * Which purchases reach Meta's Conversions API (routes/flows/conversion-meta.camel.yaml): a store order with its
 * customer's marketing consent does; a test order, an order without consent and a GA4 purchase (which states none)
 * do not, unless facebook.purchases.ga4-consented says GA4 purchases are consented.
 */
class PurchasesToMetaTest extends RouterTestSupport {

    static final Instant ORDERED = Instant.parse("2026-01-15T10:00:00Z");

    @Override
    String flowFile() {
        return "routes/flows/conversion-meta.camel.yaml";
    }

    @Override
    String routes() {
        return "conversion-to-facebook,facebook-purchase";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("facebook.purchases.ga4-consented", "false");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("FacebookPurchaseTranslator", new FacebookPurchaseTranslator("v25.0", "1234567890", "",
                Clock.fixed(ORDERED.plusSeconds(60), ZoneOffset.UTC)));
    }

    Exchange toMeta(CloudEvent event) {
        return deliver("direct:conversion-to-facebook", event);
    }

    @Test
    void aConsentedStoreOrderIsAPurchaseEventForTheGraphConnector() throws Exception {
        start();
        MockEndpoint enlisted = enlisted();
        enlisted.expectedMessageCount(1);
        enlisted.expectedHeaderReceived(CONNECTOR, "direct:facebook-graph");

        Exchange done = toMeta(FacebookPurchaseTranslatorTest.storePurchase(ORDERED, true, false, true));

        enlisted.assertIsSatisfied();
        assertThat(skipReason(done)).isNull();
        assertThat(enlisted.getExchanges().get(0).getMessage().getBody(io.marketingbus.delivery.PlatformRequest.class)
                .body().at("/data/0/event_id").asText()).isEqualTo("order-T-100234");
    }

    @Test
    void testOrdersAndOrdersWithoutConsentAreSkipped() throws Exception {
        start();
        MockEndpoint enlisted = enlisted();
        enlisted.expectedMessageCount(0);

        assertThat(skipReason(toMeta(FacebookPurchaseTranslatorTest.storePurchase(ORDERED, true, true, true))))
                .isEqualTo("a test order");
        assertThat(skipReason(toMeta(FacebookPurchaseTranslatorTest.storePurchase(ORDERED, false, null, true))))
                .isEqualTo("no marketing consent");
        assertThat(skipReason(toMeta(FacebookPurchaseTranslatorTest.storePurchase(ORDERED, null, null, true))))
                .isEqualTo("no marketing consent");
        assertThat(skipReason(toMeta(Events.conversion(1, "120.00")))).isEqualTo("no marketing consent");
        io.marketingbus.event.Product product = new io.marketingbus.event.Product("shopify", "shop.example.com", "r",
                null, null, null, null, null, null, null, null, null, null, null);
        CloudEvent notAPurchase = CloudEvent.of("x", "/shopify/shops/shop.example.com", EventTypes.PRODUCT_UPSERTED,
                Events.TIME, product.key(), EventData.product(product));
        assertThat(skipReason(toMeta(notAPurchase))).isEqualTo("not a purchase");

        enlisted.assertIsSatisfied();
    }

    @Test
    void ga4PurchasesGoOnlyWhenTheSettingSaysTheyAreConsented() throws Exception {
        start("facebook.purchases.ga4-consented", "true");
        MockEndpoint enlisted = enlisted();
        enlisted.expectedMessageCount(1);

        Exchange done = toMeta(Events.conversion(1, "120.00"));

        enlisted.assertIsSatisfied();
        assertThat(skipReason(done)).isNull();
        // a store order without consent stays skipped: the setting is about GA4's silence only
        assertThat(skipReason(toMeta(FacebookPurchaseTranslatorTest.storePurchase(ORDERED, null, null, true))))
                .isEqualTo("no marketing consent");
    }
}

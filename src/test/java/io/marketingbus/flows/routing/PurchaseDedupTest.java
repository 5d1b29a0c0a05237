package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.marketingbus.delivery.DeliveredEvents;
import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.delivery.PurchaseLedger;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * Flow 3's dedup and loyalty gate (routes/flows/conversion-dedup.camel.yaml) with the real PurchaseLedger over an
 * in-memory ledger: which copy of an order is resolved, which adjusts the customer, which is skipped; and which
 * conversions reach the loyalty router.
 */
class PurchaseDedupTest extends RouterTestSupport {

    static final String RESOLVE = "mock:direct:conversion-resolve";
    static final String ADJUST = "mock:direct:conversion-adjust";
    static final String LOYALTY = "mock:direct:conversion-to-loyalty";
    final Set<String> ledger = new HashSet<>();

    @Override
    String flowFile() {
        return "routes/flows/conversion-dedup.camel.yaml";
    }

    @Override
    String routes() {
        return "conversion-dedup,conversion-loyalty-gate";
    }

    @Override
    Map<String, String> settings() {
        // what CrmChoice (SalesforcePlatform) sets for crm.conversions.provider=hubspot
        return Map.of("crm.conversions.resolver", "direct:conversion-resolve", "crm.conversions.adjuster", "direct:conversion-adjust");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("PurchaseLedger", new PurchaseLedger(new DeliveredEvents(null, null, 0) {
            @Override
            public boolean contains(String topic, String eventId) {
                return ledger.contains(topic + "/" + eventId);
            }

            @Override
            public Map<String, Exception> recordAll(String topic, List<String> eventIds) {
                eventIds.forEach(id -> ledger.add(topic + "/" + id));
                return Map.of();
            }
        }));
    }

    @Override
    void advise() throws Exception {
        AdviceWith.adviceWith(context, "conversion-dedup", route -> {
            route.weaveAddFirst().setProperty(DeliveryExchange.DELIVERED_TOPIC).constant("marketing.purchases.resolver.delivered");
            route.mockEndpointsAndSkip("direct:conversion-resolve");
            route.mockEndpointsAndSkip("direct:conversion-adjust");
            route.mockEndpointsAndSkip("direct:conversion-resolve-salesforce");
            route.mockEndpointsAndSkip("direct:conversion-adjust-salesforce");
        });
        AdviceWith.adviceWith(context, "conversion-loyalty-gate", route -> route.mockEndpointsAndSkip("direct:conversion-to-loyalty"));
    }

    static CloudEvent purchase(String type, String id, String platform, String value, Boolean test) {
        Conversion conversion = new Conversion(platform, "#1001", value == null ? null : new BigDecimal(value), "EUR",
                null, null, null, null, null, null, null, test, null, null);
        return CloudEvent.of(id, "/" + platform, type, Events.TIME, Conversion.orderKey("#1001"),
                EventData.purchaseReceived(new CustomerRef(Events.LUCIA, null, null, null), conversion));
    }

    static CloudEvent conversion(String type, Boolean consent) {
        Conversion conversion = new Conversion("shopify", "#1001", new BigDecimal("107.36"), "EUR", null, null, null,
                null, 1, new BigDecimal("107.36"), "5678901234567", false, consent, null);
        return CloudEvent.of("shopify-w1", EventSources.PURCHASE_RESOLVER, type, Events.TIME,
                EventData.conversion(Contact.of(Events.LUCIA, null, null, null, null), conversion));
    }

    Exchange received(String id, String platform, String value) {
        return deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_RECEIVED, id, platform, value, null));
    }

    @Test
    void theFirstCopyIsResolvedTheSecondSkippedWhicheverSourceComesFirst() throws Exception {
        start();
        getMockEndpoint(RESOLVE).expectedMessageCount(1);
        getMockEndpoint(ADJUST).expectedMessageCount(0);

        received("shopify-w1", "shopify", "107.36");
        Exchange ga4Copy = received("ga4-#1001", "ga4", "107.36");

        assertThat(skipReason(ga4Copy)).contains("already counted");
        assertThat(ledger).contains("marketing.purchases.resolver.delivered/order:#1001",
                "marketing.purchases.resolver.delivered/order-valued:#1001");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aLaterCopyWithTheValueTheFirstLackedIsAnAdjustmentOnce() throws Exception {
        start();
        getMockEndpoint(RESOLVE).expectedMessageCount(1);
        getMockEndpoint(ADJUST).expectedMessageCount(1);

        received("ga4-#1001", "ga4", null);
        received("shopify-w1", "shopify", "107.36");
        Exchange third = received("shopify-w2", "shopify", "107.36");

        assertThat(skipReason(third)).contains("already counted");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void testOrdersAndReversalsOfUncountedOrdersAreSkipped() throws Exception {
        start();
        getMockEndpoint(RESOLVE).expectedMessageCount(0);
        getMockEndpoint(ADJUST).expectedMessageCount(0);

        Exchange test = deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_RECEIVED, "shopify-t", "shopify", "1", true));
        Exchange refund = deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_REFUNDED, "shopify-refund-1", "shopify", "1", null));

        assertThat(skipReason(test)).isEqualTo("a test order, never counted");
        assertThat(skipReason(refund)).contains("never counted");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aCancelledOrderIsAdjustedOnceAndItsLaterRefundSkipped() throws Exception {
        start();
        getMockEndpoint(ADJUST).expectedMessageCount(2);

        received("shopify-w1", "shopify", "107.36");
        deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_REFUNDED, "shopify-refund-1", "shopify", "20", null));
        deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_CANCELLED, "shopify-cancel-1", "shopify", "87.36", null));
        Exchange again = deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_CANCELLED, "shopify-cancel-2", "shopify", "87.36", null));
        Exchange lateRefund = deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_REFUNDED, "shopify-refund-2", "shopify", "5", null));

        assertThat(skipReason(again)).contains("already cancelled");
        assertThat(skipReason(lateRefund)).contains("already cancelled");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void withSalesforceAsTheCrmTheOrderIsCountedAndAdjustedInSalesforceNotHubSpot() throws Exception {
        start("crm.conversions.resolver", "direct:conversion-resolve-salesforce",
                "crm.conversions.adjuster", "direct:conversion-adjust-salesforce");
        getMockEndpoint(RESOLVE).expectedMessageCount(0);
        getMockEndpoint(ADJUST).expectedMessageCount(0);
        getMockEndpoint("mock:direct:conversion-resolve-salesforce").expectedMessageCount(1);
        getMockEndpoint("mock:direct:conversion-adjust-salesforce").expectedMessageCount(3);

        received("ga4-#1001", "ga4", null);
        received("shopify-w1", "shopify", "107.36");
        deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_REFUNDED, "shopify-refund-1", "shopify", "20", null));
        deliver("direct:conversion-dedup", purchase(EventTypes.PURCHASE_CANCELLED, "shopify-cancel-1", "shopify", "87.36", null));

        assertThat(ledger).contains("marketing.purchases.resolver.delivered/order-valued:#1001",
                "marketing.purchases.resolver.delivered/order-cancelled:#1001");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void onlyNewPurchasesWhoseStoreConsentIsNotFalseReachTheLoyaltyRouter() throws Exception {
        start();
        getMockEndpoint(LOYALTY).expectedMessageCount(2);

        deliver("direct:conversion-loyalty-gate", conversion(EventTypes.CONVERSION_PURCHASE, true));
        deliver("direct:conversion-loyalty-gate", conversion(EventTypes.CONVERSION_PURCHASE, null));
        Exchange refused = deliver("direct:conversion-loyalty-gate", conversion(EventTypes.CONVERSION_PURCHASE, false));
        Exchange adjustment = deliver("direct:conversion-loyalty-gate", conversion(EventTypes.CONVERSION_ADJUSTED, true));

        assertThat(skipReason(refused)).contains("did not consent");
        assertThat(skipReason(adjustment)).contains("adjustment");
        MockEndpoint.assertIsSatisfied(context);
    }
}

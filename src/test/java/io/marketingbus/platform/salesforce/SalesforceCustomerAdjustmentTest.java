package io.marketingbus.platform.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import org.junit.jupiter.api.Test;

/**
 * Refunds, cancellations and late copies of a counted order resolved in Salesforce: the Contact's mapped count and
 * total after the change, never below zero; the adjustment's upsert writes the count and total only.
 */
class SalesforceCustomerAdjustmentTest {

    final SalesforceCustomerTranslator translator = new SalesforceCustomerTranslator(
            new SalesforceContactTranslator("Lead", "Marketing_Email__c", "Mailchimp_Status__c", "[not provided]", "Mailchimp"),
            "Marketing_Email__c", "Id", "sf-contact-", SalesforceCustomerTranslator.mapping(SalesforcePlatform.DEFAULT_FIELDS),
            "Customer", Clock.fixed(Instant.parse("2026-01-06T10:00:00Z"), ZoneOffset.UTC));
    final EventCodec codec = new EventCodec(new EventSchemas());
    final ObjectMapper mapper = new ObjectMapper();

    static CloudEvent change(String type, String email, String value) {
        Conversion conversion = new Conversion("shopify", "#1001", value == null ? null : new BigDecimal(value), "EUR",
                null, null, null, null, null, null, "5678901234567", null, null, null);
        return CloudEvent.of("shopify-x-" + email, "/shopify/shops/s", type, "2026-01-06T09:00:00Z",
                Conversion.orderKey("#1001"), EventData.purchaseReceived(new CustomerRef(email, null, null, null), conversion));
    }

    JsonNode knows(String email, int count, String total) throws Exception {
        return mapper.readTree("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
                + "\"Id\":\"003A\",\"Email\":\"" + email + "\",\"LastName\":\"Martin\",\"Order_Count__c\":" + count
                + ",\"Order_Total__c\":" + total + "}]}");
    }

    JsonNode upsert(CloudEvent conversion) {
        return translator.toCustomerUpsert(conversion).body().at("/records/0");
    }

    @Test
    void aCancellationLowersCountAndTotalButNeverBelowZeroAndLeavesTheLastOrderAndStatus() throws Exception {
        CloudEvent adjusted = translator.toAdjustment(change(EventTypes.PURCHASE_CANCELLED, "a@example.com", "107.36"),
                knows("a@example.com", 0, "50"));
        codec.toJson(adjusted);
        assertThat(adjusted.type()).isEqualTo(EventTypes.CONVERSION_ADJUSTED);
        assertThat(adjusted.data().contact().crmId()).isEqualTo("003A");
        JsonNode record = upsert(adjusted);
        assertThat(record.get("Order_Count__c").asInt()).isZero();
        assertThat(record.get("Order_Total__c").decimalValue()).isEqualByComparingTo("0");
        assertThat(record.has("Customer_Status__c")).isFalse();
        assertThat(record.has("Last_Order_Date__c")).isFalse();
        assertThat(record.has("Last_Order_Currency__c")).isFalse();
        assertThat(record.has("Last_Order_Value__c")).isFalse();
    }

    @Test
    void aRefundLowersOnlyTheTotal() throws Exception {
        JsonNode record = upsert(translator.toAdjustment(change(EventTypes.PURCHASE_REFUNDED, "b@example.com", "20"),
                knows("b@example.com", 3, "300")));
        assertThat(record.get("Order_Count__c").asInt()).isEqualTo(3);
        assertThat(record.get("Order_Total__c").decimalValue()).isEqualByComparingTo("280");
        assertThat(record.has("Last_Order_Value__c")).isFalse();
    }

    @Test
    void aLateCopyWithTheValueAddsItWithoutCountingAgain() throws Exception {
        JsonNode record = upsert(translator.toAdjustment(change(EventTypes.PURCHASE_RECEIVED, "c@example.com", "107.36"),
                knows("c@example.com", 1, "0")));
        assertThat(record.get("Order_Count__c").asInt()).isEqualTo(1);
        assertThat(record.get("Order_Total__c").decimalValue()).isEqualByComparingTo("107.36");
        assertThat(record.get("Last_Order_Value__c").decimalValue()).isEqualByComparingTo("107.36");
        assertThat(record.has("Last_Order_Date__c")).isFalse();
    }

    @Test
    void aChangeRightAfterThePurchaseCountsFromWhatThisResolverWroteNotFromAContactNotUpdatedYet() throws Exception {
        CloudEvent purchase = change(EventTypes.PURCHASE_RECEIVED, "d@example.com", "80");
        assertThat(translator.toConversion(purchase, knows("d@example.com", 2, "100")).data().conversion().purchaseNumber())
                .isEqualTo(3);
        // the Contact still says 2 and 100: the purchase's upsert is not in yet
        JsonNode record = upsert(translator.toAdjustment(change(EventTypes.PURCHASE_CANCELLED, "d@example.com", "80"),
                knows("d@example.com", 2, "100")));
        assertThat(record.get("Order_Count__c").asInt()).isEqualTo(2);
        assertThat(record.get("Order_Total__c").decimalValue()).isEqualByComparingTo("100");
    }

    @Test
    void aPurchaseStillWritesTheLastOrderAndTheStatus() throws Exception {
        JsonNode record = upsert(translator.toConversion(change(EventTypes.PURCHASE_RECEIVED, "e@example.com", "10"),
                mapper.readTree("{\"totalSize\":0,\"done\":true,\"records\":[]}")));
        assertThat(record.get("Order_Count__c").asInt()).isEqualTo(1);
        assertThat(record.get("Customer_Status__c").asText()).isEqualTo("Customer");
        assertThat(record.get("Last_Order_Date__c").asText()).isEqualTo("2026-01-06");
        assertThat(record.get("Last_Order_Currency__c").asText()).isEqualTo("EUR");
    }

    @Test
    void aRefundForSomeoneSalesforceCannotFindByUserIdIsRejectedWithTheReason() {
        Conversion conversion = new Conversion("ga4", "#9", new BigDecimal("5"), "EUR", null, null, null, null, null, null);
        CloudEvent refund = CloudEvent.of("x", "/shopify/shops/s", EventTypes.PURCHASE_REFUNDED, "2026-01-06T09:00:00Z",
                Conversion.orderKey("#9"), EventData.purchaseReceived(new CustomerRef(null, null, "sf-contact-003Z", null), conversion));
        assertThatThrownBy(() -> translator.toAdjustment(refund, mapper.readTree("{\"totalSize\":0,\"done\":true,\"records\":[]}")))
                .isInstanceOf(PlatformRejectedException.class).hasMessageContaining("no Salesforce contact has Id = 003Z");
    }
}

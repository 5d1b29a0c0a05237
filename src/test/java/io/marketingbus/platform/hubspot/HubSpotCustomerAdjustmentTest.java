package io.marketingbus.platform.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import org.junit.jupiter.api.Test;

/** Refunds, cancellations and late copies of a counted order: the customer's count and total, never below zero. */
class HubSpotCustomerAdjustmentTest {

    final HubSpotCustomerTranslator translator = new HubSpotCustomerTranslator("hs_object_id", "hs-contact-", "customer",
            Clock.fixed(Instant.parse("2026-01-06T10:00:00Z"), ZoneOffset.UTC));
    final EventCodec codec = new EventCodec(new EventSchemas());
    final ObjectMapper mapper = new ObjectMapper();

    CloudEvent change(String type, String email, String value) {
        Conversion conversion = new Conversion("shopify", "#1001", value == null ? null : new BigDecimal(value), "EUR",
                null, null, null, null, null, null, "5678901234567", null, null, null);
        return CloudEvent.of("shopify-x-" + email, "/shopify/shops/s", type, "2026-01-06T09:00:00Z",
                Conversion.orderKey("#1001"), EventData.purchaseReceived(new CustomerRef(email, null, null, null), conversion));
    }

    JsonNode knows(String email, int count, String total) throws Exception {
        return mapper.readTree("{\"results\":[{\"id\":\"51\",\"properties\":{\"email\":\"" + email
                + "\",\"order_count\":\"" + count + "\",\"order_total\":\"" + total + "\"}}]}");
    }

    JsonNode upsert(CloudEvent adjusted) {
        return translator.toCustomerUpsert(adjusted).body().at("/inputs/0/properties");
    }

    @Test
    void aCancellationLowersCountAndTotalButNeverBelowZero() throws Exception {
        CloudEvent adjusted = translator.toAdjustment(change(EventTypes.PURCHASE_CANCELLED, "a@example.com", "107.36"),
                knows("a@example.com", 0, "50"));
        codec.toJson(adjusted);
        assertThat(adjusted.type()).isEqualTo(EventTypes.CONVERSION_ADJUSTED);
        assertThat(upsert(adjusted).get("order_count").asText()).isEqualTo("0");
        assertThat(upsert(adjusted).get("order_total").asText()).isEqualTo("0");
        assertThat(upsert(adjusted).has("lifecyclestage")).isFalse();
        assertThat(upsert(adjusted).has("last_order_date")).isFalse();
    }

    @Test
    void aRefundLowersOnlyTheTotal() throws Exception {
        CloudEvent adjusted = translator.toAdjustment(change(EventTypes.PURCHASE_REFUNDED, "b@example.com", "20"),
                knows("b@example.com", 3, "300"));
        assertThat(upsert(adjusted).get("order_count").asText()).isEqualTo("3");
        assertThat(upsert(adjusted).get("order_total").asText()).isEqualTo("280");
        assertThat(upsert(adjusted).has("last_order_value")).isFalse();
    }

    @Test
    void aLateCopyWithTheValueAddsItWithoutCountingAgain() throws Exception {
        CloudEvent adjusted = translator.toAdjustment(change(EventTypes.PURCHASE_RECEIVED, "c@example.com", "107.36"),
                knows("c@example.com", 1, "0"));
        assertThat(upsert(adjusted).get("order_count").asText()).isEqualTo("1");
        assertThat(upsert(adjusted).get("order_total").asText()).isEqualTo("107.36");
        assertThat(upsert(adjusted).get("last_order_value").asText()).isEqualTo("107.36");
    }
}

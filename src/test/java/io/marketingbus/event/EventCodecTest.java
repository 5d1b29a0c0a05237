package io.marketingbus.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec(new EventSchemas());

    private static CloudEvent subscribed(String email, String phone) {
        return CloudEvent.of("mc-1", "/mailchimp/lists/l1", EventTypes.CONTACT_SUBSCRIBED, "2026-01-15T09:31:07Z",
                EventData.subscription(Contact.of(email, "Lucia", null, phone, new Contact.Consent("subscribed", null)),
                        new Subscription("mailchimp", "l1", "m1", "subscribed", null, null)));
    }

    @Test
    void aValidEventRoundTrips() {
        CloudEvent event = subscribed("lucia.martin@example.com", "+34600112233");

        assertThat(codec.parse(codec.toJson(event))).isEqualTo(event);
    }

    @Test
    void aRecordTheBusCheckedIsReadWithoutASecondCheckAndAnyOtherIsChecked() {
        CloudEvent event = subscribed("lucia.martin@example.com", "+34600112233");
        byte[] written = codec.toJson(event);
        // breaks the schema (upper case e-mail) but binds: what a writer other than the bus could put on a topic
        byte[] foreign = new String(written, StandardCharsets.UTF_8).replace("lucia.martin@example.com",
                "Lucia.Martin@Example.com").getBytes(StandardCharsets.UTF_8);

        assertThat(codec.read(written, true)).isEqualTo(event);
        assertThat(codec.read(written, false)).isEqualTo(event);
        assertThatThrownBy(() -> codec.read(foreign, false)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("breaks the canonical event schema");
        // the stamp is trusted: a record stamped by the bus was checked when it was written
        assertThat(codec.read(foreign, true).id()).isEqualTo("mc-1");
        assertThatThrownBy(() -> codec.read("{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(InvalidEventException.class);
        assertThat(EventCodec.checkedOnWrite("1".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(EventCodec.checkedOnWrite(null)).isFalse();
        assertThat(EventCodec.checkedOnWrite("0".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void anEventBreakingItsSchemaIsNotWritten() {
        assertThatThrownBy(() -> codec.toJson(subscribed("Lucia.Martin@Example.com", null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("breaks its schema");
        assertThatThrownBy(() -> codec.toJson(subscribed("lucia@example.com", "call me")))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aTypeMustCarryWhatItPromises() {
        CloudEvent noStatus = new CloudEvent("1.0", "mc-2", "/mailchimp/lists/l1", EventTypes.CONTACT_CLEANED,
                "2026-01-15T09:31:07Z", ContactKey.of("a@b.c"), "application/json",
                EventData.subscription(Contact.of("a@b.c", null, null, null, null),
                        new Subscription("mailchimp", "l1", null, null, "hard", null)));

        assertThatThrownBy(() -> codec.toJson(noStatus)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("status");
    }

    @Test
    void moneyIsWrittenAsPlainDecimals() {
        Conversion conversion = new Conversion("ga4", "T-1", new BigDecimal("100"), "EUR", new BigDecimal("100.50"),
                new BigDecimal("1E+2"), null, List.of(new Conversion.Item("SKU-1", "Plan", new BigDecimal("1E+1"), 10)),
                1, new BigDecimal("100").stripTrailingZeros());
        CloudEvent event = CloudEvent.of("ga4-T-1", EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE,
                "2026-01-15T09:31:07Z", EventData.conversion(Contact.of("lucia@example.com", null, null, null, null),
                        conversion));

        String json = new String(codec.toJson(event), StandardCharsets.UTF_8);

        assertThat(json).contains("\"value\":100,").contains("\"tax\":100.50,").contains("\"shipping\":100,")
                .contains("\"price\":10,").contains("\"customerTotal\":100").doesNotContainPattern("[:,\\[]-?\\d+(\\.\\d+)?[eE][+-]?\\d");
        assertThat(codec.parse(json.getBytes(StandardCharsets.UTF_8)).data().conversion().value())
                .isEqualByComparingTo("100");
    }

    @Test
    void recordsThatAreNotCanonicalEventsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> codec.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> codec.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> codec.parse("{\"type\":\"marketing.contact.unknown\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> codec.parse("{\"type\":\"marketing.contact.subscribed\",\"id\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("required");
    }

    @Test
    void productEventsCarryACatalogItemAndInventoryChangesOnlyWhatMoved() {
        Product product = new Product("shopify", "shop.example.com", "shopify-44820019", "8123", "Linen shirt", null,
                "https://shop.example.com/products/linen-shirt", null, "Acme", "new", new BigDecimal("49.9"), "EUR",
                Product.IN_STOCK, 12);
        CloudEvent upserted = CloudEvent.of("shopify-w-1", "/shopify/shop.example.com", EventTypes.PRODUCT_UPSERTED,
                "2026-01-15T09:31:07Z", product.key(), EventData.product(product));
        CloudEvent inventory = CloudEvent.of("shopify-w-2", "/shopify/shop.example.com", EventTypes.PRODUCT_UPSERTED,
                "2026-01-15T09:31:07Z", product.key(), EventData.product(new Product("shopify", "shop.example.com", "shopify-44820019",
                        null, null, null, null, null, null, null, null, null, Product.OUT_OF_STOCK, 0)));

        assertThat(codec.parse(codec.toJson(upserted))).isEqualTo(upserted);
        assertThat(codec.parse(codec.toJson(inventory))).isEqualTo(inventory);
        CloudEvent badAvailability = CloudEvent.of("shopify-w-3", "/shopify/shop.example.com",
                EventTypes.PRODUCT_DELETED, "2026-01-15T09:31:07Z", product.key(), EventData.product(new Product("shopify",
                        "shop.example.com", "shopify-1", null, null, null, null, null, null, null, null, null,
                        "available", null)));
        assertThatThrownBy(() -> codec.toJson(badAvailability)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("availability");
    }
}

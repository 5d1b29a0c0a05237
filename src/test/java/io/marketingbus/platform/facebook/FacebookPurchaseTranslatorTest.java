package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** A store purchase into the Conversions API Purchase of the sample (docs/platforms/facebook.md §4, §11). */
public class FacebookPurchaseTranslatorTest {

    /** The sample's event_time, 2026-01-05T08:00:00Z. */
    static final Instant ORDERED = Instant.ofEpochSecond(1767600000L);
    final FacebookPurchaseTranslator translator = new FacebookPurchaseTranslator("v25.0", "1234567890", "TEST12345",
            Clock.fixed(ORDERED.plusSeconds(60), ZoneOffset.UTC));

    /** The sample's order: Lucia's, from the shop's checkout, with her consent unless told otherwise. */
    public static CloudEvent storePurchase(Instant time, Boolean consent, Boolean test, boolean web) {
        Contact contact = new Contact("lucia.martin@example.com", "Lucia", "Martin", "+34600112233", "ES", null, "51",
                null);
        Conversion.Web browser = web ? new Conversion.Web("203.0.113.24",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "https://shop.example.com/checkout/thank-you", "fb.1.1767599000000.IwAR2xExampleClickId",
                "fb.1.1767590000000.1098115397") : null;
        Conversion order = new Conversion("shopify", "order-T-100234", new BigDecimal("129.90"), "EUR", null, null, null,
                List.of(new Conversion.Item("SKU-123", "Linen shirt", new BigDecimal("64.95"), 2)), 1,
                new BigDecimal("129.90"), "T-100234", test, consent, browser);
        return CloudEvent.of("shopify-order-T-100234", EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE,
                time.toString(), EventData.conversion(contact, order));
    }

    @Test
    void aStorePurchaseIsTheSamplePurchaseWithTheTransactionIdAsEventId() throws Exception {
        PlatformRequest request = translator.toPurchaseEvent(storePurchase(ORDERED, true, null, true));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v25.0/1234567890/events");
        assertThat(new ObjectMapper().readTree(request.body().toString()))
                .isEqualTo(Samples.json("facebook-capi-purchase-request.json"));
    }

    @Test
    void withoutBrowserFactsItIsSystemGenerated() {
        PlatformRequest request = translator.toPurchaseEvent(storePurchase(ORDERED, true, null, false));

        assertThat(request.body().at("/data/0/action_source").asText()).isEqualTo("system_generated");
        assertThat(request.body().at("/data/0/user_data").has("client_ip_address")).isFalse();
        assertThat(request.body().at("/data/0").has("event_source_url")).isFalse();
    }

    @Test
    void browserFactsWithoutUserAgentOrPageAreNoWebsiteEvent() {
        CloudEvent event = storePurchase(ORDERED, true, null, true);
        Conversion order = event.data().conversion();
        Conversion noAgent = new Conversion(order.platform(), order.transactionId(), order.value(), order.currency(),
                null, null, null, order.items(), 1, order.value(), order.orderId(), null, true,
                new Conversion.Web("203.0.113.24", null, null, "fb.1.1767599000000.IwAR2xExampleClickId", null));
        PlatformRequest request = translator.toPurchaseEvent(CloudEvent.of(event.id(), event.source(), event.type(),
                event.time(), event.subject(), EventData.conversion(event.data().contact(), noAgent)));

        assertThat(request.body().at("/data/0/action_source").asText()).isEqualTo("system_generated");
        assertThat(request.body().at("/data/0/user_data/fbc").asText()).isEqualTo("fb.1.1767599000000.IwAR2xExampleClickId");
    }

    @Test
    void aPurchaseOlderThanSevenDaysIsRefusedWithThatReason() {
        assertThatThrownBy(() -> translator.toPurchaseEvent(storePurchase(ORDERED.minus(Duration.ofDays(7)), true,
                null, true))).isInstanceOf(InvalidEventException.class).hasMessageContaining("older than the 7 days");
    }
}

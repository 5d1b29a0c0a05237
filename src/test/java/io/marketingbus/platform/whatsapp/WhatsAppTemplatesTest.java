package io.marketingbus.platform.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.support.Samples;
import org.apache.camel.Exchange;
import org.apache.camel.component.whatsapp.model.TemplateMessageRequest;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The template message a purchase calls for, as camel-whatsapp writes it on the wire, and who gets none. */
class WhatsAppTemplatesTest {

    /** How camel-whatsapp 4.18's WhatsAppServiceRestAPIAdapter serialises a message. */
    static final ObjectMapper WIRE = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    static final WhatsAppContacts.State OPTED_IN = new WhatsAppContacts.State(true, false, "2026-01-05T08:00:00Z", null, null, null);

    static WhatsAppTemplates templates(Function<String, WhatsAppContacts.State> states) {
        return new WhatsAppTemplates(Map.of("first", "loyalty_welcome", "vip", "loyalty_vip"),
                Map.of("first", "WELCOME10"), "order_confirmation", "es_ES", new BigDecimal("500"), states);
    }

    static CloudEvent purchase(String phone, int number, String total, String firstName) {
        Contact lucia = Contact.of("lucia.martin@example.com", firstName, "Martin", phone, null);
        Conversion c = new Conversion("shopify", "#1001", new BigDecimal("49.90"), "EUR", null, null, null, null, number,
                new BigDecimal(total), "820982911946154508", false, true, null);
        return CloudEvent.of("shopify-1001", "/shopify/shops/x", EventTypes.CONVERSION_PURCHASE, "2026-01-05T08:00:00Z",
                EventData.conversion(lucia, c));
    }

    static TemplateMessageRequest request(WhatsAppTemplates templates, CloudEvent event) {
        return templates.request(event);
    }

    @Test
    void aFirstPurchaseOfAnOptedInNumberIsTheVendorsTemplateSampleByteForByteAsJson() throws Exception {
        TemplateMessageRequest request = request(templates(p -> OPTED_IN), purchase("+34600112233", 1, "49.90", "Lucia"));
        assertThat(WIRE.readTree(WIRE.writeValueAsString(request)))
                .isEqualTo(Samples.json("whatsapp-template-message-request.json"));
    }

    @Test
    void theTierIsTheLoyaltyFlowsAndATierWithoutTemplateFallsBackToTheOrderConfirmation() throws Exception {
        WhatsAppTemplates t = templates(p -> OPTED_IN);
        assertThat(request(t, purchase("+34600112233", 1, "650", "Lucia")).getTemplate().getName()).isEqualTo("loyalty_vip");
        TemplateMessageRequest repeat = request(t, purchase("+34600112233", 2, "120", "Lucia"));
        assertThat(repeat.getTemplate().getName()).isEqualTo("order_confirmation");
        assertThat(repeat.getTemplate().getComponents().get(0).getParameters())
                .extracting(p -> p.getText()).containsExactly("Lucia", "820982911946154508");
    }

    @Test
    void aPhoneThatCannotBeE164IsRefusedWithTheReasonAndMasked() {
        assertThatThrownBy(() -> request(templates(p -> OPTED_IN), purchase("600112233", 1, "49.90", "Lucia")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not E.164")
                .hasMessageNotContaining("600112233");
        assertThat(WhatsAppPhones.e164("+34 600 11 22 33")).isEqualTo("+34600112233");
        assertThat(WhatsAppPhones.e164("+0034600112233")).isNull();
        assertThat(WhatsAppPhones.e164("+1234567")).isNull();
    }

    @Test
    void withoutARecordedOptInOrAfterStopOrAHoldingErrorNothingIsSentAndTheReasonSaysWhy() {
        assertThat(skip(p -> WhatsAppContacts.State.NONE)).isEqualTo("no WhatsApp opt-in recorded for the number");
        assertThat(skip(p -> new WhatsAppContacts.State(false, true, "2026-01-06T00:00:00Z", null, null, null)))
                .contains("opted out");
        assertThat(skip(p -> new WhatsAppContacts.State(true, false, null, 131026, "131026 Message undeliverable.", 131026)))
                .contains("131026");
        assertThat(skip(p -> OPTED_IN)).isNull();
    }

    @Test
    void aTestOrderSendsNothing() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        CloudEvent event = purchase("+34600112233", 1, "49.90", "Lucia");
        Conversion c = event.data().conversion();
        Conversion test = new Conversion(c.platform(), c.transactionId(), c.value(), c.currency(), null, null, null, null,
                1, c.customerTotal(), c.orderId(), true, true, null);
        exchange.setProperty("busCloudEvent", CloudEvent.of(event.id(), event.source(), event.type(), event.time(),
                EventData.conversion(event.data().contact(), test)));
        templates(p -> OPTED_IN).toTemplate(exchange);
        assertThat(exchange.getProperty(WhatsAppTemplates.SKIP)).isEqualTo("a test order");
    }

    @Test
    void aRefundOrALateCopyOfAnOrderSendsNothing() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        CloudEvent event = purchase("+34600112233", 1, "49.90", "Lucia");
        exchange.setProperty("busCloudEvent", CloudEvent.of(event.id(), event.source(), EventTypes.CONVERSION_ADJUSTED,
                event.time(), event.data()));
        templates(p -> OPTED_IN).toTemplate(exchange);
        assertThat(exchange.getProperty(WhatsAppTemplates.SKIP, String.class)).startsWith("not a new purchase");
    }

    static String skip(Function<String, WhatsAppContacts.State> states) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty("busCloudEvent", purchase("+34600112233", 1, "49.90", "Lucia"));
        templates(states).toTemplate(exchange);
        return exchange.getProperty(WhatsAppTemplates.SKIP, String.class);
    }

    @Test
    void theHoldingErrorsHoldAndOthersAreOnlyRecorded() {
        var held = WhatsAppContacts.apply(OPTED_IN, EventTypes.MESSAGE_STATUS, new io.marketingbus.event.Messaging(
                "whatsapp", "+34600112233", "wamid.1", "failed", 131026, "Message undeliverable.", null, "t"), java.util.Set.of(131026));
        assertThat(held.heldBy()).isEqualTo(131026);
        var notHeld = WhatsAppContacts.apply(OPTED_IN, EventTypes.MESSAGE_STATUS, new io.marketingbus.event.Messaging(
                "whatsapp", "+34600112233", "wamid.1", "failed", 131049, "Not delivered", null, "t"), java.util.Set.of(131026));
        assertThat(notHeld.heldBy()).isNull();
        assertThat(notHeld.lastError()).isEqualTo(131049);
        assertThat(List.of(held.optedIn(), notHeld.optedIn())).containsOnly(true);
    }
}

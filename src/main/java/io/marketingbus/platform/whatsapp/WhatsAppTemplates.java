package io.marketingbus.platform.whatsapp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.component.whatsapp.model.Component;
import org.apache.camel.component.whatsapp.model.Language;
import org.apache.camel.component.whatsapp.model.Parameter;
import org.apache.camel.component.whatsapp.model.TemplateMessage;
import org.apache.camel.component.whatsapp.model.TemplateMessageRequest;

/**
 * A purchase to the approved template message it calls for (docs/platforms/whatsapp.md §3): the loyalty tier's
 * template ({@code whatsapp.templates.loyalty.<tier>}) when one is set, else the order confirmation
 * ({@code whatsapp.templates.order-confirmation}); one message per purchase. Only to a number with a recorded
 * opt-in, not opted out and not held by an error ({@link WhatsAppContacts}). The body is camel-whatsapp's
 * {@link TemplateMessageRequest}, which its producer sends.
 */
public final class WhatsAppTemplates {

    /** Why the purchase sends no message (the skip reason), or null when {@link #REQUEST} is set. */
    public static final String SKIP = "whatsappSkip";

    private final Map<String, String> loyaltyTemplates;
    private final Map<String, String> loyaltyCodes;
    private final String orderConfirmation;
    private final String language;
    private final BigDecimal vipAmount;
    private final Function<String, WhatsAppContacts.State> contacts;

    /**
     * @param loyaltyTemplates template name per tier (first, repeat, vip); a tier left out sends nothing
     * @param loyaltyCodes     the second body parameter per tier (a welcome code), if any
     * @param orderConfirmation the order confirmation's template name, blank for none
     * @param vipAmount        {@code loyalty.vip-amount}: the loyalty flow's VIP threshold
     * @param contacts         a number's state by its E.164 phone ({@link WhatsAppContacts#lookup})
     */
    public WhatsAppTemplates(Map<String, String> loyaltyTemplates, Map<String, String> loyaltyCodes,
                             String orderConfirmation, String language, BigDecimal vipAmount,
                             Function<String, WhatsAppContacts.State> contacts) {
        this.loyaltyTemplates = Map.copyOf(loyaltyTemplates);
        this.loyaltyCodes = Map.copyOf(loyaltyCodes);
        this.orderConfirmation = orderConfirmation == null ? "" : orderConfirmation.trim();
        this.language = language;
        this.vipAmount = vipAmount;
        this.contacts = contacts;
    }

    /** The tier as routes/flows/conversion.camel.yaml chooses it: VIP at loyalty.vip-amount, else first or repeat. */
    public String tier(Conversion conversion) {
        if (conversion.customerTotal() != null && conversion.customerTotal().compareTo(vipAmount) >= 0) {
            return "vip";
        }
        return Integer.valueOf(1).equals(conversion.purchaseNumber()) ? "first" : "repeat";
    }

    /**
     * Sets the body to the template request, or the {@link #SKIP} property to the reason none is sent.
     *
     * @throws InvalidEventException when the contact's phone cannot be made E.164 (dead-lettered with the reason)
     */
    public void toTemplate(Exchange exchange) {
        CloudEvent event = exchange.getProperty("busCloudEvent", CloudEvent.class);
        String skip = null;
        TemplateMessageRequest request = null;
        try {
            request = request(event);
        } catch (Skip s) {
            skip = s.getMessage();
        }
        exchange.setProperty(SKIP, skip);
        exchange.getMessage().setBody(request);
    }

    TemplateMessageRequest request(CloudEvent event) {
        if (!EventTypes.CONVERSION_PURCHASE.equals(event.type())) {
            // a refund, a cancellation or a late copy of an order already confirmed (marketing.conversion.adjusted)
            throw new Skip("not a new purchase: " + event.type());
        }
        Conversion conversion = event.data().conversion();
        Contact contact = event.data().contact();
        if (Boolean.TRUE.equals(conversion.test())) {
            throw new Skip("a test order");
        }
        String tier = tier(conversion);
        String template = loyaltyTemplates.getOrDefault(tier, "");
        List<String> parameters = new ArrayList<>();
        parameters.add(firstName(contact));
        if (!template.isBlank()) {
            String code = loyaltyCodes.getOrDefault(tier, "");
            if (!code.isBlank()) {
                parameters.add(code);
            }
        } else if (!orderConfirmation.isBlank()) {
            template = orderConfirmation;
            parameters.add(conversion.orderId() != null ? conversion.orderId() : conversion.transactionId());
        } else {
            throw new Skip("no WhatsApp template for the " + tier + " tier and no order confirmation template");
        }
        if (parameters.stream().anyMatch(v -> v == null || v.isBlank())) {
            throw new Skip("a parameter of template " + template + " would be empty (the contact's first name or the order id)");
        }
        if (contact == null || contact.phone() == null || contact.phone().isBlank()) {
            throw new Skip("the contact has no phone");
        }
        String phone = WhatsAppPhones.e164(contact.phone());
        if (phone == null) {
            throw new InvalidEventException("the contact's phone " + WhatsAppPhones.mask(contact.phone())
                    + " is not E.164 (a + and the country code, 8 to 15 digits): WhatsApp cannot be sent to it");
        }
        WhatsAppContacts.State state = contacts.apply(phone);
        if (state.optedOut()) {
            throw new Skip("the number opted out of WhatsApp messages (" + state.changedAt() + ")");
        }
        if (state.heldBy() != null) {
            throw new Skip("WhatsApp reported error " + state.heldReason().trim() + " for the number: no more templates to it");
        }
        if (!state.optedIn()) {
            throw new Skip("no WhatsApp opt-in recorded for the number");
        }
        return message(WhatsAppPhones.waId(phone), template, parameters);
    }

    /** The Cloud API's template message (docs/platforms/whatsapp.md §3; sample whatsapp-template-message-request.json). */
    TemplateMessageRequest message(String to, String template, List<String> bodyParameters) {
        TemplateMessageRequest request = new TemplateMessageRequest();
        request.setMessagingProduct("whatsapp");
        request.setRecipientType("individual");
        request.setTo(to);
        request.setType("template");
        TemplateMessage message = new TemplateMessage();
        message.setName(template);
        Language lang = new Language();
        lang.setCode(language);
        // camel-whatsapp presets the long-deprecated policy "deterministic"; the Cloud API's template has none
        lang.setPolicy(null);
        message.setLanguage(lang);
        Component body = new Component();
        body.setType("body");
        List<Parameter> parameters = new ArrayList<>();
        for (String value : bodyParameters) {
            Parameter p = new Parameter();
            p.setType("text");
            p.setText(value);
            parameters.add(p);
        }
        body.setParameters(parameters);
        message.setComponents(List.of(body));
        request.setTemplate(message);
        return request;
    }

    private static String firstName(Contact contact) {
        return contact == null || contact.firstName() == null || contact.firstName().isBlank() ? "" : contact.firstName();
    }

    private static final class Skip extends RuntimeException {
        Skip(String reason) {
            super(reason, null, false, false);
        }
    }
}

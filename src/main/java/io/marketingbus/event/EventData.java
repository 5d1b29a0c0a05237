package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** The {@code data} of a canonical event: the contact (for contact and opportunity events) and what the type is about. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventData(Contact contact, Subscription subscription, Opportunity opportunity, DealChange dealChange,
                        Conversion conversion, CustomerRef customer, JsonNode hit, Product product,
                        Messaging messaging, Identity identity, JsonNode custom) {

    public EventData(Contact contact, Subscription subscription, Opportunity opportunity, DealChange dealChange,
                     Conversion conversion, CustomerRef customer, JsonNode hit, Product product,
                     Messaging messaging, Identity identity) {
        this(contact, subscription, opportunity, dealChange, conversion, customer, hit, product, messaging, identity, null);
    }

    /**
     * A custom event from a Zapier or Make source: {@code custom} is {@code {"event": name, "properties": {...}}},
     * the contact (when the sender named one) only its e-mail and names.
     */
    public static EventData custom(Contact contact, JsonNode custom) {
        return new EventData(contact, null, null, null, null, null, null, null, null, null, custom);
    }

    public EventData(Contact contact, Subscription subscription, Opportunity opportunity, DealChange dealChange,
                     Conversion conversion, CustomerRef customer, JsonNode hit, Product product, Messaging messaging) {
        this(contact, subscription, opportunity, dealChange, conversion, customer, hit, product, messaging, null);
    }

    public EventData(Contact contact, Subscription subscription, Opportunity opportunity, DealChange dealChange,
                     Conversion conversion, CustomerRef customer, JsonNode hit, Product product) {
        this(contact, subscription, opportunity, dealChange, conversion, customer, hit, product, null, null);
    }

    /** A tracked person's ids and profile traits (identify without e-mail, alias). */
    public static EventData identity(Identity identity) {
        return new EventData(null, null, null, null, null, null, null, null, null, identity);
    }

    /** A direct message's delivery status, or a person's messaging opt-in or opt-out (WhatsApp). */
    public static EventData messaging(Messaging messaging) {
        return new EventData(null, null, null, null, null, null, null, null, messaging);
    }

    public EventData(Contact contact, Subscription subscription, Opportunity opportunity, DealChange dealChange,
                     Conversion conversion, CustomerRef customer, JsonNode hit) {
        this(contact, subscription, opportunity, dealChange, conversion, customer, hit, null);
    }

    /** A store's product or inventory change. */
    public static EventData product(Product product) {
        return new EventData(null, null, null, null, null, null, null, product);
    }

    public static EventData subscription(Contact contact, Subscription subscription) {
        return new EventData(contact, subscription, null, null, null, null, null);
    }

    public static EventData opportunity(Contact contact, Opportunity opportunity) {
        return new EventData(contact, null, opportunity, null, null, null, null);
    }

    public static EventData dealChange(DealChange change) {
        return new EventData(null, null, null, change, null, null, null);
    }

    /** A purchase as the source reported it, its customer not yet looked up. */
    public static EventData purchaseReceived(CustomerRef customer, Conversion conversion) {
        return new EventData(null, null, null, null, conversion, customer, null);
    }

    /** An analytics hit to forward as it is (already stripped of clear personal data). */
    public static EventData hit(JsonNode hit) {
        return new EventData(null, null, null, null, null, null, hit);
    }

    public static EventData conversion(Contact contact, Conversion conversion) {
        return new EventData(contact, null, null, null, conversion, null, null);
    }
}

package io.marketingbus.flows.routing;

import java.math.BigDecimal;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.Opportunity;
import io.marketingbus.event.Subscription;

/** Canonical events as the flows' routers receive them, varied only in what the rules read. */
final class Events {

    static final String TIME = "2026-01-15T10:00:00Z";
    static final String LUCIA = "lucia.martin@example.com";

    private Events() {
    }

    /** An enriched deal's contact: {@code consent} is the contact's ad-personalisation consent (null: unknown). */
    static CloudEvent opportunity(String type, Boolean consent, String pipeline, String stage, String amount) {
        Contact contact = new Contact(LUCIA, "Lucia", "Martin", null, null, null, "51",
                new Contact.Consent(null, consent));
        Opportunity deal = new Opportunity("hubspot", "18204751234", "Lucia's renewal",
                amount == null ? null : new BigDecimal(amount), "EUR", stage, pipeline);
        return CloudEvent.of("opp-18204751234-51-" + type.substring(type.lastIndexOf('.') + 1), EventSources.DEAL_ENRICHER,
                type, TIME, EventData.opportunity(contact, deal));
    }

    /** A resolved purchase: the customer's how-many-th purchase it is, and their total so far including it. */
    static CloudEvent conversion(int purchaseNumber, String customerTotal) {
        Contact contact = new Contact(LUCIA, "Lucia", "Martin", null, null, null, "51", null);
        Conversion purchase = new Conversion("ga4", "T-1001", new BigDecimal("120.00"), "EUR", null, null, null, null,
                purchaseNumber, new BigDecimal(customerTotal));
        return CloudEvent.of("conv-T-1001", EventSources.PURCHASE_RESOLVER, "marketing.conversion.purchase", TIME,
                EventData.conversion(contact, purchase));
    }

    /** A Mailchimp audience event of the given marketing.contact.* type. */
    static CloudEvent contact(String type) {
        String change = type.substring(type.lastIndexOf('.') + 1);
        String status = switch (change) {
            case "subscribed", "unsubscribed", "cleaned" -> change;
            default -> null;
        };
        String previousEmail = change.equals("email-changed") ? "lucia.old@example.com" : null;
        Contact contact = Contact.of(LUCIA, "Lucia", "Martin", null, null);
        return CloudEvent.of("mc-" + change, "/mailchimp/lists/a6b5da1054", type, TIME,
                EventData.subscription(contact, new Subscription("mailchimp", "a6b5da1054", null, status, null,
                        previousEmail)));
    }
}

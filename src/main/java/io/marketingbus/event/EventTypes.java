package io.marketingbus.event;

/** The canonical event types (docs/design.md, "The canonical event"). */
public final class EventTypes {

    public static final String CONTACT_SUBSCRIBED = "marketing.contact.subscribed";
    public static final String CONTACT_UNSUBSCRIBED = "marketing.contact.unsubscribed";
    public static final String CONTACT_PROFILE_UPDATED = "marketing.contact.profile-updated";
    public static final String CONTACT_EMAIL_CHANGED = "marketing.contact.email-changed";
    public static final String CONTACT_CLEANED = "marketing.contact.cleaned";

    public static final String OPPORTUNITY_CREATED = "marketing.opportunity.created";
    public static final String OPPORTUNITY_UPDATED = "marketing.opportunity.updated";

    /** Internal: a CRM deal changed; only ids, waiting for the enricher. */
    public static final String DEAL_CHANGED = "marketing.deal.changed";

    /** Internal: a purchase as GA4's Measurement Protocol relay received it, customer not yet resolved. */
    public static final String PURCHASE_RECEIVED = "marketing.purchase.received";
    /** Internal: a store refunded money on a purchase; lowers the customer's order total (never below zero). */
    public static final String PURCHASE_REFUNDED = "marketing.purchase.refunded";
    /** Internal: a store cancelled a purchase; lowers the customer's order count and total (never below zero). */
    public static final String PURCHASE_CANCELLED = "marketing.purchase.cancelled";
    /** Internal: a Measurement Protocol hit to forward to GA4. */
    public static final String ANALYTICS_HIT = "marketing.analytics.hit";
    public static final String CONVERSION_PURCHASE = "marketing.conversion.purchase";
    /**
     * A counted purchase changed (a later copy added its value, a refund, a cancellation): the customer's order count
     * and total after the change, for the CRM; never a new purchase (no loyalty journey, no ad conversion).
     */
    public static final String CONVERSION_ADJUSTED = "marketing.conversion.adjusted";

    /** A store's product (variant) was created or changed, or its inventory moved: upsert it in catalogs. */
    public static final String PRODUCT_UPSERTED = "marketing.product.upserted";
    /** A store's product (variant) was deleted: remove it from catalogs. */
    public static final String PRODUCT_DELETED = "marketing.product.deleted";

    /** A direct message (WhatsApp) was sent, delivered, read or failed, as its platform reported it. */
    public static final String MESSAGE_STATUS = "marketing.message.status";
    /** A person opted in to direct messages on a channel (WhatsApp). */
    public static final String CONTACT_MESSAGING_OPTED_IN = "marketing.contact.messaging-opted-in";
    /** A person opted out of direct messages on a channel (WhatsApp: an inbound STOP). */
    public static final String CONTACT_MESSAGING_OPTED_OUT = "marketing.contact.messaging-opted-out";

    /** A tracked person identified without an e-mail: their ids and profile traits, for analytics profiles. */
    public static final String IDENTITY_IDENTIFIED = "marketing.identity.identified";
    /** A tracked person's earlier id ({@code previousId}) is linked to their user id (Segment {@code alias}). */
    public static final String IDENTITY_ALIASED = "marketing.identity.aliased";

    /** A named event a Zapier or Make source sent that is no contact nor purchase (marketing.custom-events). */
    public static final String CUSTOM_EVENT = "marketing.custom.event";

    private EventTypes() {
    }
}

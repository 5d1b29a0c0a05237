package io.marketingbus.event;

/** The canonical event types (DESIGN.md, "The canonical event"). */
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

    private EventTypes() {
    }
}

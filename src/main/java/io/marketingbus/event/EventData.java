package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code data} of a canonical event: the contact (for contact and opportunity events) and what the type is about. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventData(Contact contact, Subscription subscription, Opportunity opportunity, DealChange dealChange) {

    public static EventData subscription(Contact contact, Subscription subscription) {
        return new EventData(contact, subscription, null, null);
    }

    public static EventData opportunity(Contact contact, Opportunity opportunity) {
        return new EventData(contact, null, opportunity, null);
    }

    public static EventData dealChange(DealChange change) {
        return new EventData(null, null, null, change);
    }
}

package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code data} of a canonical event: always a contact, plus what the event type is about. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventData(Contact contact, Subscription subscription) {
}

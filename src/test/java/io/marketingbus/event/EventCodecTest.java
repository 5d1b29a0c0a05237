package io.marketingbus.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

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
}

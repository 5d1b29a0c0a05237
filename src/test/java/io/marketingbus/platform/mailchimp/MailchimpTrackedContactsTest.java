package io.marketingbus.platform.mailchimp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;

import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.Identifiers;
import io.marketingbus.support.TrackedEvents;
import org.junit.jupiter.api.Test;

class MailchimpTrackedContactsTest {

    final MailchimpEchoes echoes = new MailchimpEchoes(Duration.ofMinutes(10), Clock.systemUTC());

    @Test
    void aTrackedContactIsAMemberUpsertByHashWithStatusIfNewOnly() {
        MailchimpTrackedContacts contacts = new MailchimpTrackedContacts("a6b5da1054", "pending", echoes);

        PlatformRequest request = contacts.memberUpsert(TrackedEvents.contact("web", "m-1", " Nora.Vidal@Example.com ",
                "Nora", null, null).event());

        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/lists/a6b5da1054/members/" + Identifiers.md5Hex("nora.vidal@example.com"));
        assertThat(request.body().get("email_address").asText()).isEqualTo("nora.vidal@example.com");
        assertThat(request.body().get("status_if_new").asText()).isEqualTo("pending");
        assertThat(request.body().has("status")).isFalse();
        assertThat(request.body().at("/merge_fields/FNAME").asText()).isEqualTo("Nora");
        assertThat(request.body().at("/merge_fields").has("LNAME")).isFalse();
    }

    @Test
    void aStatusThatClaimsConsentIsRefusedAtStart() {
        assertThatThrownBy(() -> new MailchimpTrackedContacts("a6b5da1054", "subscribed", echoes))
                .hasMessageContaining("mailchimp.tracked-contacts.status-if-new");
    }
}

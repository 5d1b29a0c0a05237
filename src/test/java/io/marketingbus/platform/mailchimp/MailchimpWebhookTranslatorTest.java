package io.marketingbus.platform.mailchimp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.ingress.FormFields;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class MailchimpWebhookTranslatorTest {

    private final MailchimpWebhookTranslator translator = new MailchimpWebhookTranslator();
    private final EventCodec codec = new EventCodec(new EventSchemas());

    private static MailchimpWebhook sample(String name) {
        return form(Samples.text(name));
    }

    private static MailchimpWebhook form(String body) {
        return MailchimpWebhook.of(FormFields.nest(FormFields.decode(body)));
    }

    /** Every translated sample must also satisfy its type's JSON Schema, as ingress enforces. */
    private CloudEvent translate(MailchimpWebhook webhook) {
        CloudEvent event = translator.toCanonical(webhook).orElseThrow();
        codec.parse(codec.toJson(event));
        return event;
    }

    @Test
    void subscribeBecomesContactSubscribed() {
        CloudEvent event = translate(sample("mailchimp-subscribe.form"));

        assertThat(event.specversion()).isEqualTo("1.0");
        assertThat(event.type()).isEqualTo(EventTypes.CONTACT_SUBSCRIBED);
        assertThat(event.source()).isEqualTo("/mailchimp/lists/a6b5da1054");
        assertThat(event.time()).isEqualTo("2026-01-15T09:31:07Z");
        assertThat(event.subject()).isEqualTo(ContactKey.of("lucia.martin@example.com"));
        assertThat(event.datacontenttype()).isEqualTo("application/json");
        var contact = event.data().contact();
        assertThat(contact.email()).isEqualTo("lucia.martin@example.com");
        assertThat(contact.firstName()).isEqualTo("Lucia");
        assertThat(contact.lastName()).isEqualTo("Martin");
        assertThat(contact.phone()).isEqualTo("+34600112233");
        assertThat(contact.consent().email()).isEqualTo("subscribed");
        var subscription = event.data().subscription();
        assertThat(subscription.status()).isEqualTo("subscribed");
        assertThat(subscription.memberId()).isEqualTo("11bdbce20ae820532b1a7dfbbcae11a7");
        assertThat(subscription.listId()).isEqualTo("a6b5da1054");
    }

    @Test
    void theSameWebhookSentTwiceGetsTheSameIdAndAnotherOneDoesNot() {
        String subscribe = Samples.text("mailchimp-subscribe.form");
        String id = translate(form(subscribe)).id();

        assertThat(translate(form(subscribe)).id()).isEqualTo(id).startsWith("mc-");
        assertThat(translate(form(subscribe.replace("09%3A31%3A07", "09%3A31%3A08"))).id()).isNotEqualTo(id);
        assertThat(translate(form(subscribe.replace("lucia.martin%40", "ana%40"))).id()).isNotEqualTo(id);
    }

    @Test
    void unsubscribeCarriesStatusAndReason() {
        CloudEvent event = translate(sample("mailchimp-unsubscribe.form"));

        assertThat(event.type()).isEqualTo(EventTypes.CONTACT_UNSUBSCRIBED);
        assertThat(event.data().subscription().status()).isEqualTo("unsubscribed");
        assertThat(event.data().subscription().reason()).isEqualTo("manual");
        assertThat(event.data().contact().consent().email()).isEqualTo("unsubscribed");
    }

    @Test
    void unsubscribeWithDeleteActionIsArchived() {
        String deleted = Samples.text("mailchimp-unsubscribe.form").replace("action%5D=unsub", "action%5D=delete");

        assertThat(translate(form(deleted)).data().subscription().status()).isEqualTo("archived");
    }

    @Test
    void profileUpdatesNamesWithoutClaimingAStatus() {
        CloudEvent event = translate(sample("mailchimp-profile.form"));

        assertThat(event.type()).isEqualTo(EventTypes.CONTACT_PROFILE_UPDATED);
        assertThat(event.data().contact().lastName()).isEqualTo("Martin-Ruiz");
        assertThat(event.data().subscription().status()).isNull();
        assertThat(event.data().contact().consent()).isNull();
    }

    @Test
    void upemailBecomesEmailChangedKeyedByTheNewAddress() {
        CloudEvent event = translate(sample("mailchimp-upemail.form"));

        assertThat(event.type()).isEqualTo(EventTypes.CONTACT_EMAIL_CHANGED);
        assertThat(event.data().contact().email()).isEqualTo("lucia.ruiz@example.com");
        assertThat(event.data().subscription().previousEmail()).isEqualTo("lucia.martin@example.com");
        assertThat(event.data().subscription().memberId()).isEqualTo("31057475d875392ea36493f7496ea4c2");
        assertThat(event.subject()).isEqualTo(ContactKey.of("lucia.ruiz@example.com"));
    }

    @Test
    void cleanedCarriesTheBounceReasonAndTheSubscriberHash() {
        CloudEvent event = translate(sample("mailchimp-cleaned.form"));

        assertThat(event.type()).isEqualTo(EventTypes.CONTACT_CLEANED);
        assertThat(event.data().subscription().status()).isEqualTo("cleaned");
        assertThat(event.data().subscription().reason()).isEqualTo("hard");
        assertThat(event.data().subscription().memberId()).isEqualTo("11bdbce20ae820532b1a7dfbbcae11a7");
    }

    @Test
    void campaignIsAcknowledgedButNotTranslated() {
        MailchimpWebhook campaign = MailchimpWebhook.of(Map.of("type", "campaign", "fired_at", "2026-01-15 09:31:07",
                "data", Map.of("id", "5aa2102003", "subject", "News", "status", "sent", "list_id", "a6b5da1054")));

        assertThat(translator.toCanonical(campaign)).isEmpty();
    }

    @Test
    void malformedWebhooksNameTheirProblem() {
        String subscribe = Samples.text("mailchimp-subscribe.form");
        assertThatThrownBy(() -> translator.toCanonical(form(subscribe.replace("type=subscribe", "type=resubscribe"))))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("unknown Mailchimp webhook type");
        assertThatThrownBy(() -> translator.toCanonical(form(subscribe.replace("2026-01-15+09", "15%2F01%2F2026+09"))))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("fired_at");
        assertThatThrownBy(() -> translator.toCanonical(form("type=subscribe&fired_at=2026-01-15+09%3A31%3A07")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("data[list_id]");
        assertThatThrownBy(() -> translator.toCanonical(form(subscribe
                .replace("data%5Bemail%5D=lucia.martin%40example.com", "data%5Bemail%5D=not-an-address")
                .replace("data%5Bmerges%5D%5BEMAIL%5D=lucia.martin%40example.com", ""))))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("not an e-mail address");
        assertThatThrownBy(() -> translator.toCanonical(form("fired_at=2026-01-15+09%3A31%3A07")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("missing type");
    }
}

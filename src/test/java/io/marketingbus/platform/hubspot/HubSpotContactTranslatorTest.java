package io.marketingbus.platform.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.ingress.FormFields;
import io.marketingbus.support.Samples;
import io.marketingbus.platform.mailchimp.MailchimpWebhook;
import io.marketingbus.platform.mailchimp.MailchimpWebhookTranslator;
import org.junit.jupiter.api.Test;

class HubSpotContactTranslatorTest {

    private final HubSpotContactTranslator translator =
            new HubSpotContactTranslator("mailchimp_status", "subscriber", "NEW");

    private static CloudEvent event(String sample) {
        return new MailchimpWebhookTranslator().toCanonical(
                MailchimpWebhook.of(FormFields.nest(FormFields.decode(Samples.text(sample))))).orElseThrow();
    }

    @Test
    void subscribeIsTheDocumentedBatchUpsertPlusTheStatusProperty() {
        PlatformRequest request = translator.toUpsert(event("mailchimp-subscribe.form"));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/crm/v3/objects/contacts/batch/upsert");
        assertThat(request.query()).isNull();
        JsonNode expected = Samples.json("hubspot-contacts-batch-upsert-request.json").deepCopy();
        ((ObjectNode) expected.at("/inputs/0/properties")).put("mailchimp_status", "subscribed");
        assertThat(request.body()).isEqualTo(expected);
    }

    @Test
    void blankSettingsLeaveLifecycleLeadStatusAndStatusAlone() {
        PlatformRequest request = new HubSpotContactTranslator("", " ", "").toUpsert(event("mailchimp-subscribe.form"));

        JsonNode properties = request.body().at("/inputs/0/properties");
        assertThat(properties.has("lifecyclestage")).isFalse();
        assertThat(properties.has("hs_lead_status")).isFalse();
        assertThat(properties.has("mailchimp_status")).isFalse();
        assertThat(properties.get("firstname").asText()).isEqualTo("Lucia");
    }

    @Test
    void unsubscribeIsReflectedOnTheContactNotDropped() {
        PlatformRequest request = translator.toUpsert(event("mailchimp-unsubscribe.form"));

        JsonNode input = request.body().at("/inputs/0");
        assertThat(input.get("idProperty").asText()).isEqualTo("email");
        assertThat(input.get("id").asText()).isEqualTo("lucia.martin@example.com");
        assertThat(input.get("objectWriteTraceId").asText()).isEqualTo("mc-unsub-11bdbce20ae8");
        assertThat(input.get("properties")).hasSize(2);
        assertThat(input.at("/properties/mailchimp_status").asText()).isEqualTo("unsubscribed");
    }

    @Test
    void cleanedMarksTheAddress() {
        JsonNode properties = translator.toUpsert(event("mailchimp-cleaned.form")).body().at("/inputs/0/properties");

        assertThat(properties.get("email").asText()).isEqualTo("lucia.martin@example.com");
        assertThat(properties.get("mailchimp_status").asText()).isEqualTo("cleaned");
        assertThat(properties.has("lifecyclestage")).isFalse();
    }

    @Test
    void profileUpdatesNamesOnly() {
        JsonNode properties = translator.toUpsert(event("mailchimp-profile.form")).body().at("/inputs/0/properties");

        assertThat(properties.get("lastname").asText()).isEqualTo("Martin-Ruiz");
        assertThat(properties.has("lifecyclestage")).isFalse();
        assertThat(properties.has("mailchimp_status")).isFalse();
    }

    @Test
    void emailChangePatchesTheContactFoundByItsPreviousAddress() {
        PlatformRequest request = translator.toEmailChange(event("mailchimp-upemail.form"));

        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.path()).isEqualTo("/crm/v3/objects/contacts/lucia.martin%40example.com");
        assertThat(request.query()).isEqualTo("idProperty=email");
        assertThat(request.body().toString()).isEqualTo("{\"properties\":{\"email\":\"lucia.ruiz@example.com\"}}");
    }
}

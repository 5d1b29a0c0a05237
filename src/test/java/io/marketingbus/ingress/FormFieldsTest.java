package io.marketingbus.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class FormFieldsTest {

    @Test
    void nestsPhpStyleKeysOfTheMailchimpSample() {
        Map<String, Object> nested = FormFields.nest(FormFields.decode(Samples.text("mailchimp-subscribe.form")));

        assertThat(nested).containsEntry("type", "subscribe").containsEntry("fired_at", "2026-01-15 09:31:07");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) nested.get("data");
        assertThat(data).containsEntry("email", "lucia.martin@example.com").containsEntry("list_id", "a6b5da1054");
        assertThat(data.get("merges")).isEqualTo(Map.of("EMAIL", "lucia.martin@example.com", "FNAME", "Lucia",
                "LNAME", "Martin", "PHONE", "+34 600 11 22 33", "INTERESTS", "Newsletter, Offers"));
    }

    @Test
    void encodingDecodedFieldsGivesTheSameFields() {
        Map<String, List<String>> fields = FormFields.decode(Samples.text("mailchimp-subscribe.form"));

        assertThat(FormFields.decode(FormFields.encode(fields))).isEqualTo(fields);
    }

    @Test
    void aFieldGivenTwiceIsRejectedNotGuessed() {
        assertThatThrownBy(() -> FormFields.nest(FormFields.decode("type=subscribe&type=unsubscribe")))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("'type' is given 2 times");
    }

    @Test
    void aNameUsedAsValueAndParentIsRejected() {
        assertThatThrownBy(() -> FormFields.nest(FormFields.decode("data=x&data%5Bemail%5D=a%40b.c")))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("conflicts");
    }

    @Test
    void unbalancedBracketsAreRejected() {
        assertThatThrownBy(() -> FormFields.nest(FormFields.decode("data%5Bemail=x")))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("unbalanced");
    }

    @Test
    void invalidPercentEncodingIsABadRequest() {
        assertThatThrownBy(() -> FormFields.decode("type=%ZZ"))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}

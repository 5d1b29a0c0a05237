package io.marketingbus.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    private final JsonNode vectors = Samples.vectors();

    @Test
    void normalisesTheSharedRawEmail() {
        assertThat(Identifiers.normaliseEmail(vectors.at("/identity/raw_email").asText()))
                .isEqualTo(vectors.at("/identity/normalized_email").asText());
    }

    @Test
    void mailchimpSubscriberHashIsMd5OfTheLowerCasedEmail() {
        assertThat(Identifiers.md5Hex(Identifiers.normaliseEmail(vectors.at("/identity/raw_email").asText())))
                .isEqualTo(vectors.at("/hashes/mailchimp_subscriber_hash_md5(lower(email))").asText());
    }

    @Test
    void contactKeyIsSha256OfTheNormalisedEmail() {
        assertThat(ContactKey.of("  Lucia.Martin@Example.com "))
                .isEqualTo(vectors.at("/hashes/sha256(email)").asText());
    }

    @Test
    void sha256MatchesMetasPublishedExample() {
        assertThat(Identifiers.sha256Hex("john_smith@gmail.com"))
                .isEqualTo(vectors.at("/hashes/check_meta_doc_example_sha256('john_smith@gmail.com')").asText());
    }

    @Test
    void phoneKeepsThePlusAndTheDigits() {
        assertThat(Identifiers.normalisePhone(vectors.at("/identity/raw_phone").asText()))
                .isEqualTo(vectors.at("/identity/google_phone").asText());
        assertThat(Identifiers.normalisePhone("(650) 555-1212")).isEqualTo("6505551212");
        assertThat(Identifiers.normalisePhone(" - ")).isNull();
    }

    @Test
    void masksEmailsForLogs() {
        assertThat(Identifiers.maskEmail("lucia.martin@example.com")).isEqualTo("l***@example.com");
        assertThat(Identifiers.maskEmailsIn("PATCH /contacts/lucia.martin%40example.com failed for bob@x.org"))
                .isEqualTo("PATCH /contacts/l***%40example.com failed for b***@x.org")
                .doesNotContain("lucia.martin");
    }

    @Test
    void recognisesEmailAddresses() {
        assertThat(Identifiers.isEmail("a@b.c")).isTrue();
        assertThat(Identifiers.isEmail("a@@b.c")).isFalse();
        assertThat(Identifiers.isEmail("a b@c.d")).isFalse();
        assertThat(Identifiers.isEmail("@b.c")).isFalse();
        assertThat(Identifiers.isEmail("a@")).isFalse();
    }
}

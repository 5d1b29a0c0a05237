package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A person as every platform sees them. {@code email} is trimmed and lower-cased; {@code phone} keeps a leading
 * {@code +} and digits only; {@code country} is ISO 3166 alpha-2, upper case; {@code crmId} is the CRM's own id.
 * Platform-specific normalisation and hashing happen in the outbound translators.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contact(String email, String firstName, String lastName, String phone, String country, String postalCode,
                      String crmId, Consent consent) {

    /** A contact as an e-mail platform knows it: no address details, no CRM id. */
    public static Contact of(String email, String firstName, String lastName, String phone, Consent consent) {
        return new Contact(email, firstName, lastName, phone, null, null, null, consent);
    }

    /** Consent as last stated by a source: e-mail marketing status and ad personalisation (null = unknown). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Consent(String email, Boolean adPersonalisation) {
    }
}

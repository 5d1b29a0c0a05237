package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A person as every platform sees them. {@code email} is trimmed and lower-cased; {@code phone} keeps a leading
 * {@code +} and digits only. Platform-specific normalisation and hashing happen in the outbound translators.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contact(String email, String firstName, String lastName, String phone, String country, Consent consent) {

    /** Consent as last stated by a source: e-mail marketing status and ad personalisation (null = unknown). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Consent(String email, Boolean adPersonalisation) {
    }
}

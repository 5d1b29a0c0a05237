package io.marketingbus.event;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A sales opportunity (a CRM deal) as the ad platforms need it.
 *
 * @param amount   null when the CRM has none
 * @param currency ISO 4217
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Opportunity(String platform, String id, String name, BigDecimal amount, String currency, String stage,
                          String pipeline) {

    /**
     * The part of an updated opportunity's event id that names its state: a hash of stage, amount, pipeline and
     * currency, so the same change read twice (webhook and poller, overlapping windows) gives the same id, and a change
     * to another field gives none.
     */
    @JsonIgnore
    public String stateKey() {
        return Identifiers.sha256Hex(stage + "|" + amount + "|" + pipeline + "|" + currency).substring(0, 12);
    }
}

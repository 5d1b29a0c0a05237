package io.marketingbus.event;

import java.math.BigDecimal;

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
}

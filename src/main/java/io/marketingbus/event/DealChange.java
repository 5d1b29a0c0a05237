package io.marketingbus.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A CRM said a deal was created or changed; it carries ids only. The enricher reads the deal and its contacts and
 * turns this into {@code marketing.opportunity.*} events.
 *
 * @param change        created or updated
 * @param via           webhook or poll
 * @param sourceEventId the CRM's own notification id, when it sent one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DealChange(String platform, String portalId, String dealId, String change, String occurredAt, String via,
                         String sourceEventId, String propertyName) {
}

package io.marketingbus.platform.activecampaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.LoyaltyTiers;

/**
 * Flow 3's loyalty automation in ActiveCampaign (docs/platforms/activecampaign.md §3–§4): the contact synced by
 * e-mail, then added to the tier's automation. The route file picks the provider and the tier.
 */
public final class ActiveCampaignLoyalty {

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final LoyaltyTiers automations;

    /** @param automations tier → automation id */
    public ActiveCampaignLoyalty(LoyaltyTiers automations) {
        this.automations = automations;
    }

    /** {@code POST /contact/sync}: creates or updates by e-mail; the answer carries the contact id. */
    public PlatformRequest sync(CloudEvent conversion) {
        Contact contact = conversion.data().contact();
        ObjectNode body = json.objectNode();
        ObjectNode c = body.putObject("contact");
        c.put("email", contact.email());
        if (contact.firstName() != null) {
            c.put("firstName", contact.firstName());
        }
        if (contact.lastName() != null) {
            c.put("lastName", contact.lastName());
        }
        if (contact.phone() != null) {
            c.put("phone", contact.phone());
        }
        return new PlatformRequest("POST", "/contact/sync", null, body);
    }

    /** {@code POST /contactAutomations} for the synced contact and the tier's automation. */
    public PlatformRequest automation(JsonNode syncResponse, String tier) {
        String contactId = syncResponse.path("contact").path("id").asText("");
        if (contactId.isEmpty()) {
            throw new PlatformRejectedException("activecampaign", 200, "contact/sync answered no contact id",
                    syncResponse.toString());
        }
        ObjectNode body = json.objectNode();
        body.putObject("contactAutomation").put("contact", contactId).put("automation", automations.require(tier));
        return new PlatformRequest("POST", "/contactAutomations", null, body);
    }
}

package io.marketingbus.platform.mailchimp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.LoyaltyTiers;

/**
 * Flow 3's loyalty automation in Mailchimp (docs/platforms/mailchimp.md §3–§4): the member upserted by subscriber
 * hash with {@code status_if_new}, then the tier's tag added, which starts the journey. The route file picks the
 * provider and the tier.
 */
public final class MailchimpLoyalty {

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String listId;
    private final String statusIfNew;
    private final LoyaltyTiers tags;
    private final MailchimpEchoes echoes;

    /** @param tags tier → tag name */
    public MailchimpLoyalty(String listId, String statusIfNew, LoyaltyTiers tags, MailchimpEchoes echoes) {
        this.listId = listId;
        this.statusIfNew = statusIfNew;
        this.tags = tags;
        this.echoes = echoes;
    }

    /** {@code PUT /lists/{list}/members/{md5(lower(email))}}: creates or updates, leaving other fields alone. */
    public PlatformRequest memberUpsert(CloudEvent conversion) {
        return MailchimpMembers.upsert(listId, conversion.data().contact(), statusIfNew, false, echoes);
    }

    /** {@code POST /lists/{list}/members/{hash}/tags}: the tier's tag, with automations allowed to fire. */
    public PlatformRequest tag(CloudEvent conversion, String tier) {
        ObjectNode body = json.objectNode();
        body.putArray("tags").addObject().put("name", tags.require(tier)).put("status", "active");
        body.put("is_syncing", false);
        return new PlatformRequest("POST", memberPath(conversion.data().contact()) + "/tags", null, body);
    }

    private String memberPath(Contact contact) {
        return MailchimpMembers.path(listId, contact.email());
    }
}

package io.marketingbus.translate.loyalty;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Identifiers;

/**
 * The loyalty automation's calls (docs/platforms/mailchimp.md §3–§4, docs/platforms/activecampaign.md §3–§4). Mailchimp: the member upserted by subscriber
 * hash with {@code status_if_new}, then the tier's tag added, which starts the journey. ActiveCampaign: the
 * contact synced, then added to the tier's automation. The route file picks the provider and the tier.
 */
public final class LoyaltyTranslator {

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String listId;
    private final String statusIfNew;
    private final Map<String, String> mailchimpTags;
    private final Map<String, String> activeCampaignAutomations;
    private final MailchimpEchoes echoes;

    /**
     * @param mailchimpTags             tier → tag name
     * @param activeCampaignAutomations tier → automation id
     */
    public LoyaltyTranslator(String listId, String statusIfNew, Map<String, String> mailchimpTags,
                             Map<String, String> activeCampaignAutomations, MailchimpEchoes echoes) {
        this.listId = listId;
        this.statusIfNew = statusIfNew;
        this.mailchimpTags = Map.copyOf(mailchimpTags);
        this.activeCampaignAutomations = Map.copyOf(activeCampaignAutomations);
        this.echoes = echoes;
    }

    /** {@code PUT /lists/{list}/members/{md5(lower(email))}}: creates or updates, leaving other fields alone. */
    public PlatformRequest mailchimpMemberUpsert(CloudEvent conversion) {
        Contact contact = conversion.data().contact();
        ObjectNode body = json.objectNode();
        body.put("email_address", contact.email());
        body.put("status_if_new", statusIfNew);
        ObjectNode merge = json.objectNode();
        if (contact.firstName() != null) {
            merge.put("FNAME", contact.firstName());
        }
        if (contact.lastName() != null) {
            merge.put("LNAME", contact.lastName());
        }
        if (!merge.isEmpty()) {
            body.set("merge_fields", merge);
        }
        echoes.expect(contact.email());
        return new PlatformRequest("PUT", memberPath(contact), null, body);
    }

    /** {@code POST /lists/{list}/members/{hash}/tags}: the tier's tag, with automations allowed to fire. */
    public PlatformRequest mailchimpTag(CloudEvent conversion, String tier) {
        ObjectNode body = json.objectNode();
        body.putArray("tags").addObject().put("name", require(mailchimpTags, tier, "loyalty.mailchimp.tags"))
                .put("status", "active");
        body.put("is_syncing", false);
        return new PlatformRequest("POST", memberPath(conversion.data().contact()) + "/tags", null, body);
    }

    /** {@code POST /contact/sync}: creates or updates by e-mail; the answer carries the contact id. */
    public PlatformRequest activeCampaignSync(CloudEvent conversion) {
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
    public PlatformRequest activeCampaignAutomation(JsonNode syncResponse, String tier) {
        String contactId = syncResponse.path("contact").path("id").asText("");
        if (contactId.isEmpty()) {
            throw new PlatformRejectedException("activecampaign", 200, "contact/sync answered no contact id",
                    syncResponse.toString());
        }
        ObjectNode body = json.objectNode();
        body.putObject("contactAutomation").put("contact", contactId)
                .put("automation", require(activeCampaignAutomations, tier, "loyalty.activecampaign.automations"));
        return new PlatformRequest("POST", "/contactAutomations", null, body);
    }

    private String memberPath(Contact contact) {
        return "/lists/" + listId + "/members/" + Identifiers.md5Hex(Identifiers.normaliseEmail(contact.email()));
    }

    private static String require(Map<String, String> byTier, String tier, String setting) {
        String value = byTier.get(tier);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("no " + setting + "." + tier + " configured");
        }
        return value;
    }

    /** Tiers every rule in the route file may choose. */
    public static final Set<String> TIERS = Set.of("first", "repeat", "vip");

    /** Keeps only the configured entries of a tier map. */
    public static Map<String, String> byTier(java.util.function.Function<String, String> lookup) {
        Map<String, String> map = new ConcurrentHashMap<>();
        TIERS.forEach(t -> {
            String v = lookup.apply(t);
            if (v != null && !v.isBlank()) {
                map.put(t, v.trim());
            }
        });
        return map;
    }
}

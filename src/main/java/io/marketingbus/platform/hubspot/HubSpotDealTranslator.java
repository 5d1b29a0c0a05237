package io.marketingbus.platform.hubspot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Countries;
import io.marketingbus.event.DealChange;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Opportunity;

/**
 * The content enricher's HubSpot side (docs/platforms/hubspot.md §6–§7): which CRM reads a deal change needs, and the
 * {@code marketing.opportunity.*} events the answers make, one per associated contact that has an e-mail.
 */
public final class HubSpotDealTranslator {

    static final List<String> DEAL_PROPERTIES = List.of("dealname", "amount", "deal_currency_code", "dealstage",
            "pipeline", "createdate", "hs_lastmodifieddate");

    /** The search API's page size limit. */
    public static final int SEARCH_PAGE = 200;
    /** The search API returns at most this many results for one query; past it, the window must shrink. */
    public static final int SEARCH_MAX_RESULTS = 10_000;

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String consentProperty;
    private final String defaultCurrency;

    /**
     * @param consentProperty contact property holding ad-personalisation consent (true/false, yes/no, granted/denied)
     * @param defaultCurrency currency of deals whose {@code deal_currency_code} is empty (the portal's currency)
     */
    public HubSpotDealTranslator(String consentProperty, String defaultCurrency) {
        this.consentProperty = consentProperty;
        this.defaultCurrency = defaultCurrency;
    }

    /** {@code GET /crm/v3/objects/deals/{id}} with the properties the ad flows use and the associated contacts. */
    public PlatformRequest dealRequest(CloudEvent dealChanged) {
        String dealId = dealChanged.data().dealChange().dealId();
        return new PlatformRequest("GET", "/crm/v3/objects/deals/" + dealId,
                "properties=" + String.join(",", DEAL_PROPERTIES) + "&associations=contacts", null);
    }

    public List<String> contactIds(JsonNode deal) {
        List<String> ids = new ArrayList<>();
        deal.path("associations").path("contacts").path("results").forEach(r -> ids.add(r.path("id").asText()));
        return ids.stream().filter(id -> !id.isBlank()).distinct().toList();
    }

    /** {@code POST /crm/v3/objects/contacts/batch/read} for the deal's contacts (at most 100 per call). */
    public PlatformRequest contactsRequest(List<String> contactIds) {
        ObjectNode body = json.objectNode();
        var properties = body.putArray("properties");
        List.of("email", "firstname", "lastname", "phone", "mobilephone", "country", "zip", consentProperty)
                .forEach(properties::add);
        var inputs = body.putArray("inputs");
        contactIds.stream().limit(100).forEach(id -> inputs.addObject().put("id", id));
        return new PlatformRequest("POST", "/crm/v3/objects/contacts/batch/read", null, body);
    }

    /**
     * {@code POST /crm/v3/objects/deals/search} for deals modified in [from, to), oldest first, 200 per page (the
     * search API's maximum).
     */
    public PlatformRequest searchRequest(long from, long to, String after) {
        ObjectNode body = json.objectNode();
        var filters = body.putArray("filterGroups").addObject().putArray("filters");
        filters.addObject().put("propertyName", "hs_lastmodifieddate").put("operator", "GTE").put("value", String.valueOf(from));
        filters.addObject().put("propertyName", "hs_lastmodifieddate").put("operator", "LT").put("value", String.valueOf(to));
        body.putArray("sorts").addObject().put("propertyName", "hs_lastmodifieddate").put("direction", "ASCENDING");
        var properties = body.putArray("properties");
        DEAL_PROPERTIES.forEach(properties::add);
        body.put("limit", SEARCH_PAGE);
        body.put("after", after);
        return new PlatformRequest("POST", "/crm/v3/objects/deals/search", null, body);
    }

    /**
     * A deal the poller found: created when its creation falls in the polled window, updated otherwise. The
     * opportunity ids it leads to are the ones the webhook path makes for the same deal state.
     */
    /** How long after its creation HubSpot may still be stamping a new deal (the sample: 1.9 s). */
    static final long NEW_DEAL_SETTLE_MS = 60_000;

    public CloudEvent polledChange(JsonNode deal, long windowFrom) {
        JsonNode p = deal.path("properties");
        long created = java.time.Instant.parse(p.path("createdate").asText("1970-01-01T00:00:00Z")).toEpochMilli();
        long modified = java.time.Instant.parse(p.path("hs_lastmodifieddate").asText(deal.path("updatedAt")
                .asText("1970-01-01T00:00:00Z"))).toEpochMilli();
        // new only when created in this window and not changed since: HubSpot stamps hs_lastmodifieddate a few seconds
        // after createdate on insert, while a deal created in the overlap slice (already seen at the last poll) and
        // changed after it must be an update, or its change would repeat the creation's id and be dropped as a repeat
        boolean isNew = created >= windowFrom && modified - created < NEW_DEAL_SETTLE_MS;
        long occurredAt = isNew ? created : modified;
        DealChange change = new DealChange("hubspot", null, deal.path("id").asText(), isNew ? "created" : "updated",
                java.time.Instant.ofEpochMilli(occurredAt).toString(), "poll", null, null);
        return HubSpotWebhookTranslator.dealChangedEvent(change, occurredAt);
    }

    /** One event per contact with an e-mail; the id depends on the deal's state, not on who noticed the change. */
    public List<CloudEvent> toOpportunities(CloudEvent dealChanged, JsonNode deal, JsonNode contacts) {
        DealChange change = dealChanged.data().dealChange();
        JsonNode p = deal.path("properties");
        Opportunity opportunity = new Opportunity("hubspot", deal.path("id").asText(change.dealId()),
                text(p, "dealname"), amount(text(p, "amount")),
                text(p, "deal_currency_code") != null ? text(p, "deal_currency_code").toUpperCase(Locale.ROOT) : defaultCurrency,
                text(p, "dealstage"), text(p, "pipeline"));
        String type = "created".equals(change.change()) ? EventTypes.OPPORTUNITY_CREATED : EventTypes.OPPORTUNITY_UPDATED;
        String state = "created".equals(change.change()) ? "created" : opportunity.stateKey();

        List<CloudEvent> events = new ArrayList<>();
        for (JsonNode contact : contacts.path("results")) {
            Contact c = contact(contact);
            if (c == null) {
                continue;
            }
            String id = "hs-deal-" + opportunity.id() + "-" + state + "-c" + c.crmId();
            // the enricher's event, whoever noticed the change (webhook or poller): one source for the same id
            events.add(CloudEvent.of(id, EventSources.DEAL_ENRICHER, type, change.occurredAt(),
                    EventData.opportunity(c, opportunity)));
        }
        return events;
    }

    private Contact contact(JsonNode contact) {
        JsonNode p = contact.path("properties");
        String email = Identifiers.normaliseEmail(text(p, "email"));
        if (!Identifiers.isEmail(email)) {
            return null;
        }
        String phone = text(p, "phone") != null ? text(p, "phone") : text(p, "mobilephone");
        return new Contact(email, text(p, "firstname"), text(p, "lastname"), Identifiers.normalisePhone(phone),
                country(text(p, "country")), text(p, "zip"), contact.path("id").asText(null),
                new Contact.Consent(null, consent(text(p, consentProperty))));
    }

    static Boolean consent(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "granted", "1", "opt_in", "opted_in" -> true;
            case "false", "no", "denied", "0", "opt_out", "opted_out" -> false;
            default -> null;
        };
    }

    /** HubSpot's country is free text: "ES", "es" and "Spain" all become ES; anything else is dropped. */
    String country(String value) {
        return Countries.code(value);
    }

    private static BigDecimal amount(String value) {
        if (value == null) {
            return null;
        }
        try {
            BigDecimal amount = new BigDecimal(value.trim());
            return amount.signum() < 0 ? null : amount;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode properties, String name) {
        JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }
}

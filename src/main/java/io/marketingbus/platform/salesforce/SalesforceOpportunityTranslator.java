package io.marketingbus.platform.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Countries;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Opportunity;

/**
 * Salesforce Opportunities into canonical opportunity events (docs/platforms/salesforce.md §6): one SOQL query reads
 * the opportunities changed in a window with their contact roles and each role's Contact, so no second call is
 * needed; each contact with an e-mail gives one {@code marketing.opportunity.created|updated}. Ids are
 * {@code sf-opp-<id>-<state>-c<contact id>}, the state {@code created} or a hash of stage, amount, currency and
 * pipeline: reading the same change twice (window overlap, a CDC event and the poller) gives the same ids, which
 * the deliveries apply once; a change to another field gives no new event.
 */
public final class SalesforceOpportunityTranslator {

    public static final String SOURCE = "/salesforce/opportunities";
    static final DateTimeFormatter SOQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final String consentField;
    private final String currencyField;
    private final String pipelineField;
    private final String defaultCurrency;

    /**
     * @param consentField  the Contact checkbox with ad-personalisation consent
     * @param currencyField {@code CurrencyIsoCode} in multi-currency orgs; blank: every amount is in defaultCurrency
     * @param pipelineField the Opportunity field standing for HubSpot's pipeline (e.g. {@code RecordTypeId}); blank: none
     */
    public SalesforceOpportunityTranslator(String consentField, String currencyField, String pipelineField,
                                           String defaultCurrency) {
        this.consentField = consentField;
        this.currencyField = SalesforceContactTranslator.blankToNull(currencyField);
        this.pipelineField = SalesforceContactTranslator.blankToNull(pipelineField);
        this.defaultCurrency = defaultCurrency;
    }

    /** The opportunities modified in [from, to), oldest first, with their contact roles' contacts. */
    public String soql(Instant from, Instant to) {
        StringBuilder fields = new StringBuilder("Id, Name, StageName, Amount, CreatedDate, SystemModstamp");
        if (currencyField != null) {
            fields.append(", ").append(currencyField);
        }
        if (pipelineField != null) {
            fields.append(", ").append(pipelineField);
        }
        return "SELECT " + fields + ", (SELECT ContactId, Contact.Email, Contact.FirstName, Contact.LastName, "
                + "Contact.Phone, Contact.MailingCountry, Contact.MailingPostalCode, Contact." + consentField
                + " FROM OpportunityContactRoles) FROM Opportunity WHERE SystemModstamp >= " + SOQL_TIME.format(from)
                + " AND SystemModstamp < " + SOQL_TIME.format(to) + " ORDER BY SystemModstamp, Id";
    }

    public PlatformRequest query(String soql) {
        return new PlatformRequest("GET", "/query", soql, null);
    }

    /** The next page of a query ({@code nextRecordsUrl}, as Salesforce gave it). */
    public PlatformRequest queryMore(String nextRecordsUrl) {
        return new PlatformRequest("GET", nextRecordsUrl, null, null);
    }

    /** One event per contact role with an e-mail; created while the opportunity is unchanged since its creation. */
    public List<CloudEvent> toOpportunities(JsonNode record) {
        Opportunity opportunity = new Opportunity("salesforce", text(record, "Id"), text(record, "Name"),
                amount(record.path("Amount")), currencyField != null && text(record, currencyField) != null
                        ? text(record, currencyField).toUpperCase(Locale.ROOT) : defaultCurrency,
                text(record, "StageName"), pipelineField == null ? null : text(record, pipelineField));
        if (opportunity.id() == null) {
            throw new IllegalArgumentException("the opportunity has no Id");
        }
        Instant created = Soql.time(record.path("CreatedDate").asText());
        Instant modified = Soql.time(record.path("SystemModstamp").asText());
        // never changed since it was created: Salesforce stamps both with the same instant on insert
        boolean isNew = !modified.isAfter(created);
        String type = isNew ? EventTypes.OPPORTUNITY_CREATED : EventTypes.OPPORTUNITY_UPDATED;
        String state = isNew ? "created" : opportunity.stateKey();
        String time = (isNew ? created : modified).toString();
        List<CloudEvent> events = new ArrayList<>();
        for (JsonNode role : record.path("OpportunityContactRoles").path("records")) {
            Contact contact = contact(role);
            if (contact != null) {
                events.add(CloudEvent.of("sf-opp-" + opportunity.id() + "-" + state + "-c" + contact.crmId(), SOURCE,
                        type, time, EventData.opportunity(contact, opportunity)));
            }
        }
        return events;
    }

    /**
     * A Change Data Capture event for Opportunity as the Pub/Sub API delivers it, decoded from Avro
     * (docs/platforms/salesforce.md §6): the ids of the records it names whose stage or amount changed, or that
     * were created; other changes and deletes give none. The poller's next run reads them with their contact roles.
     */
    public List<String> changedOpportunities(JsonNode changeEvent) {
        JsonNode header = changeEvent.path("ChangeEventHeader");
        if (!"Opportunity".equals(header.path("entityName").asText())) {
            return List.of();
        }
        String change = header.path("changeType").asText();
        boolean watched = "CREATE".equals(change) || "UNDELETE".equals(change);
        if ("UPDATE".equals(change)) {
            for (JsonNode field : header.path("changedFields")) {
                watched |= List.of("StageName", "Amount", String.valueOf(currencyField), String.valueOf(pipelineField))
                        .contains(field.asText());
            }
        }
        List<String> ids = new ArrayList<>();
        if (watched) {
            header.path("recordIds").forEach(id -> ids.add(id.asText()));
        }
        return ids;
    }

    private Contact contact(JsonNode role) {
        JsonNode c = role.path("Contact");
        String email = Identifiers.normaliseEmail(text(c, "Email"));
        if (!Identifiers.isEmail(email)) {
            return null;
        }
        JsonNode consent = c.path(consentField);
        return new Contact(email, text(c, "FirstName"), text(c, "LastName"), Identifiers.normalisePhone(text(c, "Phone")),
                Countries.code(text(c, "MailingCountry")), text(c, "MailingPostalCode"), text(role, "ContactId"),
                new Contact.Consent(null, consent.isBoolean() ? consent.booleanValue() : null));
    }


    private static BigDecimal amount(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        BigDecimal amount = value.decimalValue();
        return amount.signum() < 0 ? null : amount;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }
}

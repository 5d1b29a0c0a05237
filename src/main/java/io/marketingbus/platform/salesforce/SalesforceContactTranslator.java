package io.marketingbus.platform.salesforce;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Subscription;

/**
 * Canonical contact events into Salesforce Lead or Contact upserts (docs/platforms/salesforce.md §4): one record of
 * an sObject Collections upsert keyed by the external-id field that holds the e-mail (never the e-mail in the URL
 * path, which 404s for some TLDs). Unsubscribes and cleaned (bounced) addresses set {@code HasOptedOutOfEmail};
 * subscribes clear it; the Mailchimp status goes to the configured status field.
 */
public final class SalesforceContactTranslator {

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String object;
    private final String externalIdField;
    private final String statusField;
    private final String leadCompany;
    private final String leadSource;

    /**
     * @param object          {@code Lead} or {@code Contact}
     * @param externalIdField the external-id field holding the e-mail, e.g. {@code Email_Key__c}
     * @param statusField     the field holding the e-mail status; blank: not written
     * @param leadCompany     a new Lead's Company (required by Salesforce on Leads)
     * @param leadSource      LeadSource on new and updated records; blank: not written
     */
    public SalesforceContactTranslator(String object, String externalIdField, String statusField, String leadCompany,
                                       String leadSource) {
        if (!"Lead".equals(object) && !"Contact".equals(object)) {
            throw new IllegalArgumentException("salesforce.contacts.object must be Lead or Contact, not " + object);
        }
        this.object = object;
        this.externalIdField = externalIdField;
        this.statusField = blankToNull(statusField);
        this.leadCompany = blankToNull(leadCompany);
        this.leadSource = blankToNull(leadSource);
    }

    public String object() {
        return object;
    }

    /** Subscribed, unsubscribed, profile-updated and cleaned events: one record of a collections upsert. */
    public PlatformRequest toUpsert(CloudEvent event) {
        Contact contact = event.data().contact();
        Subscription subscription = event.data().subscription();
        ObjectNode record = json.objectNode();
        record.putObject("attributes").put("type", object);
        record.put(externalIdField, contact.email());
        record.put("Email", contact.email());
        boolean optedOut = EventTypes.CONTACT_UNSUBSCRIBED.equals(event.type()) || EventTypes.CONTACT_CLEANED.equals(event.type());
        if (!optedOut) {
            putIfPresent(record, "FirstName", contact.firstName());
            putIfPresent(record, "LastName", contact.lastName());
            putIfPresent(record, "Phone", contact.phone());
        }
        if (optedOut) {
            record.put("HasOptedOutOfEmail", true);
        } else if (EventTypes.CONTACT_SUBSCRIBED.equals(event.type())) {
            record.put("HasOptedOutOfEmail", false);
        }
        if (statusField != null && subscription != null) {
            putIfPresent(record, statusField, subscription.status());
        }
        if ("Lead".equals(object)) {
            putIfPresent(record, "Company", leadCompany);
        }
        putIfPresent(record, "LeadSource", leadSource);
        return upsert(record);
    }

    /** One record as an upsert request: the batch rule merges records of one object and key into a call. */
    public PlatformRequest upsert(ObjectNode record) {
        ObjectNode body = json.objectNode();
        body.put("allOrNone", false);
        body.putArray("records").add(record);
        return new PlatformRequest("PATCH", "/composite/sobjects/" + record.path("attributes").path("type").asText()
                + "/" + externalIdField, null, body);
    }

    static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

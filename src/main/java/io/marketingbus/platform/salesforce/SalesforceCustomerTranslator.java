package io.marketingbus.platform.salesforce;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.CustomerHistory;
import io.marketingbus.event.CustomerRef;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.RecentHistories;

/**
 * Flow 3's Salesforce side (docs/platforms/salesforce.md §7). Resolving a purchase's customer: a SOQL query on
 * Contact by the e-mail's external-id field, or by {@code salesforce.customer-id-field} when the site sent only its
 * user id; the mapped order count and total make the purchase's number. Then the Contact gets the order's facts
 * through the field mapping ({@code salesforce.customer.fields}: fact=Field pairs, facts {@code order_count},
 * {@code order_total}, {@code last_order_value}, {@code last_order_currency}, {@code last_order_date},
 * {@code status}), one record of a collections upsert by the external-id field, which Salesforce applies idempotently.
 */
public final class SalesforceCustomerTranslator {

    public static final List<String> FACTS = List.of("order_count", "order_total", "last_order_value",
            "last_order_currency", "last_order_date", "status");
    private final SalesforceContactTranslator contacts;
    private final String externalIdField;
    private final String customerIdField;
    private final String userIdPrefix;
    private final Map<String, String> fields;
    private final String customerStatus;
    /** Purchases resolved in the last minutes count even before Salesforce's query shows them. */
    private final RecentHistories recent;

    /**
     * @param fields         fact → Contact field; a fact left out is not written
     * @param customerStatus the status field's value for a buyer
     */
    public SalesforceCustomerTranslator(SalesforceContactTranslator contacts, String externalIdField,
                                        String customerIdField, String userIdPrefix, Map<String, String> fields,
                                        String customerStatus, Clock clock) {
        for (String fact : fields.keySet()) {
            if (!FACTS.contains(fact)) {
                throw new IllegalArgumentException("salesforce.customer.fields: unknown fact " + fact + " (known: " + FACTS + ")");
            }
        }
        this.contacts = contacts;
        this.externalIdField = externalIdField;
        this.customerIdField = customerIdField;
        this.userIdPrefix = userIdPrefix == null ? "" : userIdPrefix;
        this.fields = fields;
        this.customerStatus = customerStatus;
        this.recent = new RecentHistories(clock);
    }

    /** "order_count=Order_Count__c, order_total=Order_Total__c" as a map. */
    public static Map<String, String> mapping(String setting) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException("salesforce.customer.fields: expected fact=Field, got " + pair.trim());
            }
            map.put(kv[0].trim(), kv[1].trim());
        }
        return map;
    }

    /** The custom fields the mapping writes (the sandbox's Contact knows them). */
    public List<String> mappedFields() {
        return List.copyOf(fields.values());
    }

    /** {@code GET query?q=SELECT ... FROM Contact WHERE <key> = '<value>' LIMIT 2}: two found is ambiguous. */
    public PlatformRequest searchRequest(CloudEvent purchase) {
        CustomerRef customer = purchase.data().customer();
        StringBuilder select = new StringBuilder("SELECT Id, Email, FirstName, LastName, Phone, MailingPostalCode");
        for (String fact : List.of("order_count", "order_total")) {
            if (fields.containsKey(fact)) {
                select.append(", ").append(fields.get(fact));
            }
        }
        String where = customer.email() != null ? externalIdField + " = '" + literal(customer.email()) + "'"
                : customerIdField + " = '" + literal(crmId(customer.userId())) + "'";
        return new PlatformRequest("GET", "/query", select + " FROM Contact WHERE " + where + " LIMIT 2", null);
    }

    /** The purchase with its customer and their history so far (Salesforce's, or this resolver's of the last minutes). */
    public CloudEvent toConversion(CloudEvent purchase, JsonNode queryResult) {
        Found found = found(purchase, queryResult);
        Contact contact = found.contact();
        Conversion conversion = purchase.data().conversion();
        CustomerHistory next = recent.purchase(contact.email(), found.history(), conversion.value());
        return CloudEvent.of(purchase.id(), EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE, purchase.time(),
                EventData.conversion(contact, conversion.withCustomerHistory(next.count(), next.total())));
    }

    /**
     * A purchase already counted changed (a later copy bringing the value, a refund, a cancellation:
     * {@link CustomerHistory#after}, as HubSpot's resolver): the Contact's mapped count and total, or what this
     * resolver wrote in the last {@link RecentHistories#RECENT} when Salesforce has not caught up, after the change.
     *
     * @throws PlatformRejectedException when the customer cannot be found
     */
    public CloudEvent toAdjustment(CloudEvent change, JsonNode queryResult) {
        Found found = found(change, queryResult);
        CustomerHistory next = recent.change(found.contact().email(), found.history(), change);
        return next.adjusted(change, found.contact());
    }

    private record Found(Contact contact, CustomerHistory history) {
    }

    /** The query's Contact with its mapped count and total, or a new person by the e-mail the event sent. */
    private Found found(CloudEvent event, JsonNode queryResult) {
        CustomerRef customer = event.data().customer();
        JsonNode records = queryResult.path("records");
        if (records.size() > 1) {
            throw new PlatformRejectedException("salesforce", 200, "contact cannot be resolved: several Salesforce contacts match "
                    + (customer.email() != null ? "the e-mail" : customerIdField + " = " + crmId(customer.userId())), "");
        }
        if (records.isEmpty()) {
            if (customer.email() == null) {
                throw new PlatformRejectedException("salesforce", 200, "contact cannot be resolved: no Salesforce contact has "
                        + customerIdField + " = " + crmId(customer.userId()) + " (user_id " + customer.userId() + ")", "");
            }
            return new Found(Contact.of(customer.email(), null, null, customer.phone(), null), new CustomerHistory(0, BigDecimal.ZERO));
        }
        JsonNode c = records.get(0);
        String email = Identifiers.normaliseEmail(text(c, "Email"));
        if (!Identifiers.isEmail(email)) {
            throw new PlatformRejectedException("salesforce", 200, "contact cannot be resolved: Salesforce contact "
                    + text(c, "Id") + " has no e-mail", "");
        }
        Contact contact = new Contact(email, text(c, "FirstName"), text(c, "LastName"),
                Identifiers.normalisePhone(text(c, "Phone") != null ? text(c, "Phone") : customer.phone()), null,
                text(c, "MailingPostalCode"), text(c, "Id"), null);
        int count = fields.containsKey("order_count") ? c.path(fields.get("order_count")).asInt(0) : 0;
        BigDecimal total = fields.containsKey("order_total") && c.path(fields.get("order_total")).isNumber()
                ? c.path(fields.get("order_total")).decimalValue() : BigDecimal.ZERO;
        return new Found(contact, new CustomerHistory(count, total));
    }

    /**
     * The Contact gets the order's facts through the mapping: one record of a collections upsert. A
     * {@code marketing.conversion.adjusted} writes the count and total (and the value a later copy brought) only.
     */
    public PlatformRequest toCustomerUpsert(CloudEvent conversionEvent) {
        Contact contact = conversionEvent.data().contact();
        Conversion conversion = conversionEvent.data().conversion();
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.putObject("attributes").put("type", "Contact");
        record.put(externalIdField, contact.email());
        record.put("Email", contact.email());
        SalesforceContactTranslator.putIfPresent(record, "FirstName", contact.firstName());
        // LastName is required when the upsert creates the Contact
        record.put("LastName", contact.lastName() != null ? contact.lastName() : "[not provided]");
        put(record, "order_count", conversion.purchaseNumber());
        put(record, "order_total", conversion.customerTotal());
        // a copy that brought the value sets it; a refund or cancellation carries none: the last order stays
        put(record, "last_order_value", conversion.value());
        if (!EventTypes.CONVERSION_ADJUSTED.equals(conversionEvent.type())) {
            // an adjustment changes the count and total only: the last order's currency and day, the status stay
            put(record, "last_order_currency", conversion.currency());
            // a Date field: the purchase's day, UTC
            put(record, "last_order_date", Instant.parse(conversionEvent.time()).atZone(ZoneOffset.UTC).toLocalDate().toString());
            put(record, "status", customerStatus);
        }
        return contacts.upsert(record);
    }

    private void put(ObjectNode record, String fact, Object value) {
        String field = fields.get(fact);
        if (field == null || value == null) {
            return;
        }
        if (value instanceof BigDecimal d) {
            record.put(field, d);
        } else if (value instanceof Integer i) {
            record.put(field, i);
        } else {
            record.put(field, value.toString());
        }
    }

    private String crmId(String userId) {
        return userId.startsWith(userIdPrefix) ? userId.substring(userIdPrefix.length()) : userId;
    }

    /** A SOQL string literal's content: backslash and quote escaped. */
    static String literal(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'");
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText().trim();
    }
}

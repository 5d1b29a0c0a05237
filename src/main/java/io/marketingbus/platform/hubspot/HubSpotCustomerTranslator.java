package io.marketingbus.platform.hubspot;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

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
 * Flow 3's HubSpot side (docs/platforms/hubspot.md §5, §7). Resolving a purchase's customer: a contact search by e-mail,
 * or by {@code hubspot.customer-id-property} when the site sent only its user id; the contact's order count and
 * total so far make the purchase's number (first, repeat). Then the contact becomes a customer: lifecycle stage,
 * last order value, currency and date, order count and total, as one upsert by e-mail that HubSpot applies
 * idempotently.
 */
public final class HubSpotCustomerTranslator {

    public static final List<String> ORDER_PROPERTIES = List.of("last_order_value", "last_order_currency",
            "last_order_date", "order_count", "order_total");
    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String customerIdProperty;
    private final String userIdPrefix;
    private final String customerLifecycleStage;
    /** Purchases resolved in the last minutes count even before HubSpot's search shows them. */
    private final RecentHistories recent;

    /**
     * @param customerIdProperty     contact property holding the site's user id (hs_object_id: HubSpot's own id)
     * @param userIdPrefix           stripped from the GA4 user_id before the search ("hs-contact-" for "hs-contact-51")
     * @param customerLifecycleStage lifecycle stage of a contact who bought; blank leaves it alone
     */
    public HubSpotCustomerTranslator(String customerIdProperty, String userIdPrefix, String customerLifecycleStage,
                                     Clock clock) {
        this.customerIdProperty = customerIdProperty;
        this.userIdPrefix = userIdPrefix == null ? "" : userIdPrefix;
        this.customerLifecycleStage = customerLifecycleStage == null || customerLifecycleStage.isBlank() ? null
                : customerLifecycleStage.trim();
        this.recent = new RecentHistories(clock);
    }

    /** {@code POST /crm/v3/objects/contacts/search} for the purchase's customer. */
    public PlatformRequest searchRequest(CloudEvent purchase) {
        CustomerRef customer = purchase.data().customer();
        ObjectNode body = json.objectNode();
        // the e-mail when the site sent one, else the site's user id in the configured contact property
        var filter = body.putArray("filterGroups").addObject().putArray("filters").addObject();
        if (customer.email() != null) {
            filter.put("propertyName", "email").put("operator", "EQ").put("value", customer.email());
        } else {
            filter.put("propertyName", customerIdProperty).put("operator", "EQ").put("value", crmId(customer.userId()));
        }
        var properties = body.putArray("properties");
        List.of("email", "firstname", "lastname", "phone", "country", "zip").forEach(properties::add);
        ORDER_PROPERTIES.forEach(properties::add);
        body.put("limit", 1);
        return new PlatformRequest("POST", "/crm/v3/objects/contacts/search", null, body);
    }

    /**
     * The purchase with its customer: from HubSpot's answer, or from the e-mail the site sent when HubSpot does
     * not know the person yet (the upsert will create them).
     *
     * @throws PlatformRejectedException when only a user id was sent and no contact has it
     */
    public CloudEvent toConversion(CloudEvent purchase, JsonNode searchResponse) {
        CustomerRef customer = purchase.data().customer();
        Known known = known(customer, searchResponse, " (user_id " + customer.userId() + ")");
        Contact contact = known.contact();
        Conversion conversion = purchase.data().conversion();
        CustomerHistory next = recent.purchase(contact.email(), new CustomerHistory(known.count(), known.total()),
                conversion.value());
        // the same id as the purchase (GA4 reconciliation looks it up), from the resolver: a distinct event
        return CloudEvent.of(purchase.id(), EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE, purchase.time(),
                EventData.conversion(contact, conversion.withCustomerHistory(next.count(), next.total())));
    }

    /**
     * A purchase already counted changed (a later copy bringing the value, a refund, a cancellation: the arithmetic
     * is {@link CustomerHistory#after}). The customer's history is HubSpot's, or what this resolver wrote in the last
     * {@link RecentHistories#RECENT} when HubSpot has not caught up. Published to marketing.conversions like a purchase, so it
     * reaches HubSpot after it, in order.
     *
     * @throws PlatformRejectedException when the customer cannot be found
     */
    public CloudEvent toAdjustment(CloudEvent change, JsonNode searchResponse) {
        CustomerRef customer = change.data().customer();
        Known known = known(customer, searchResponse, "");
        Contact contact = known.contact();
        CustomerHistory next = recent.change(contact.email(), new CustomerHistory(known.count(), known.total()), change);
        return next.adjusted(change, contact);
    }

    /** The contact becomes a customer, with the order's facts; one batch-upsert input keyed by e-mail. */
    public PlatformRequest toCustomerUpsert(CloudEvent conversionEvent) {
        Contact contact = conversionEvent.data().contact();
        Conversion conversion = conversionEvent.data().conversion();
        ObjectNode properties = json.objectNode();
        properties.put("email", contact.email());
        if (contact.firstName() != null) {
            properties.put("firstname", contact.firstName());
        }
        if (contact.lastName() != null) {
            properties.put("lastname", contact.lastName());
        }
        // an adjustment (enrichment, refund, cancellation) changes the count and total, not the last order's date
        boolean adjustment = EventTypes.CONVERSION_ADJUSTED.equals(conversionEvent.type());
        if (customerLifecycleStage != null && !adjustment) {
            properties.put("lifecyclestage", customerLifecycleStage);
        }
        if (conversion.value() != null) {
            properties.put("last_order_value", plain(conversion.value()));
        }
        if (!adjustment) {
            properties.put("last_order_currency", conversion.currency());
            // HubSpot date properties take midnight UTC of the day
            properties.put("last_order_date", String.valueOf(Instant.parse(conversionEvent.time()).atZone(ZoneOffset.UTC)
                    .toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()));
        }
        properties.put("order_count", String.valueOf(conversion.purchaseNumber()));
        if (conversion.customerTotal() != null) {
            properties.put("order_total", plain(conversion.customerTotal()));
        }
        ObjectNode input = json.objectNode();
        input.put("idProperty", "email");
        input.put("id", contact.email());
        input.put("objectWriteTraceId", "ga4-" + conversion.transactionId());
        input.set("properties", properties);
        ObjectNode body = json.objectNode();
        body.putArray("inputs").add(input);
        return new PlatformRequest("POST", HubSpotContactTranslator.BATCH_UPSERT_PATH, null, body);
    }

    private String crmId(String userId) {
        return userId.startsWith(userIdPrefix) ? userId.substring(userIdPrefix.length()) : userId;
    }

    /** 500, not 500.0 or 5E+2. */
    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal decimal(String value) {
        try {
            return value == null ? BigDecimal.ZERO : new BigDecimal(value);
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    /** The customer as HubSpot's contact search answered: the contact and HubSpot's order history (0 and 0 if new). */
    private record Known(Contact contact, int count, BigDecimal total) {
    }

    /**
     * The contact the search found, or one made from the e-mail the event sent when HubSpot does not know the
     * person yet (the upsert will create them).
     *
     * @param notFoundDetail added to the reason when only a user id was sent and no contact has it
     * @throws PlatformRejectedException when the customer cannot be found, or the contact found has no e-mail
     */
    private Known known(CustomerRef customer, JsonNode searchResponse, String notFoundDetail) {
        JsonNode found = searchResponse.path("results").path(0);
        if (found.isMissingNode()) {
            if (customer.email() == null) {
                throw new PlatformRejectedException("hubspot", 200, "contact cannot be resolved: no HubSpot contact has "
                        + customerIdProperty + " = " + crmId(customer.userId()) + notFoundDetail, searchResponse.toString());
            }
            return new Known(Contact.of(customer.email(), null, null, customer.phone(), null), 0, BigDecimal.ZERO);
        }
        JsonNode p = found.path("properties");
        String email = Identifiers.normaliseEmail(p.path("email").asText(customer.email()));
        if (!Identifiers.isEmail(email)) {
            throw new PlatformRejectedException("hubspot", 200, "contact cannot be resolved: HubSpot contact "
                    + found.path("id").asText() + " has no e-mail", searchResponse.toString());
        }
        Contact contact = new Contact(email, text(p, "firstname"), text(p, "lastname"),
                Identifiers.normalisePhone(text(p, "phone") != null ? text(p, "phone") : customer.phone()),
                null, text(p, "zip"), found.path("id").asText(null), null);
        return new Known(contact, p.path("order_count").asInt(0), decimal(text(p, "order_total")));
    }

    private static String text(JsonNode properties, String name) {
        JsonNode value = properties.get(name);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText().trim();
    }
}

package io.marketingbus.platform.hubspot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Subscription;

/**
 * Canonical contact events into HubSpot CRM v3 contact writes (docs/platforms/hubspot.md §5). Everything but an e-mail
 * change is a batch upsert keyed by e-mail, which HubSpot applies idempotently; an e-mail change is a PATCH of the
 * contact found by its previous address.
 */
public final class HubSpotContactTranslator {

    static final String BATCH_UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert";
    static final String CONTACTS_PATH = "/crm/v3/objects/contacts/";

    private static final Map<String, String> TRACE_PREFIX = Map.of(
            EventTypes.CONTACT_SUBSCRIBED, "mc-sub-",
            EventTypes.CONTACT_UNSUBSCRIBED, "mc-unsub-",
            EventTypes.CONTACT_PROFILE_UPDATED, "mc-profile-",
            EventTypes.CONTACT_CLEANED, "mc-cleaned-");

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String statusProperty;
    private final String subscriberLifecycleStage;
    private final String subscriberLeadStatus;

    /**
     * @param statusProperty           the contact property holding the e-mail subscription status (a custom
     *                                 property in HubSpot); blank to not write it
     * @param subscriberLifecycleStage lifecycle stage given to a new subscriber; blank to leave it alone
     * @param subscriberLeadStatus     lead status given to a new subscriber; blank to leave it alone
     */
    public HubSpotContactTranslator(String statusProperty, String subscriberLifecycleStage, String subscriberLeadStatus) {
        this.statusProperty = blankToNull(statusProperty);
        this.subscriberLifecycleStage = blankToNull(subscriberLifecycleStage);
        this.subscriberLeadStatus = blankToNull(subscriberLeadStatus);
    }

    /** Subscribed, unsubscribed, profile-updated and cleaned events: one batch-upsert input, keyed by e-mail. */
    public PlatformRequest toUpsert(CloudEvent event) {
        Contact contact = event.data().contact();
        Subscription subscription = event.data().subscription();
        ObjectNode properties = json.objectNode();
        properties.put("email", contact.email());
        if (!EventTypes.CONTACT_UNSUBSCRIBED.equals(event.type()) && !EventTypes.CONTACT_CLEANED.equals(event.type())) {
            putIfPresent(properties, "firstname", contact.firstName());
            putIfPresent(properties, "lastname", contact.lastName());
            putIfPresent(properties, "phone", contact.phone());
        }
        if (EventTypes.CONTACT_SUBSCRIBED.equals(event.type())) {
            putIfPresent(properties, "hs_lead_status", subscriberLeadStatus);
            putIfPresent(properties, "lifecyclestage", subscriberLifecycleStage);
        }
        if (statusProperty != null && subscription != null) {
            putIfPresent(properties, statusProperty, subscription.status());
        }

        ObjectNode input = json.objectNode();
        input.put("idProperty", "email");
        input.put("id", contact.email());
        input.put("objectWriteTraceId", traceId(event));
        input.set("properties", properties);
        ObjectNode body = json.objectNode();
        body.putArray("inputs").add(input);
        return new PlatformRequest("POST", BATCH_UPSERT_PATH, null, body);
    }

    /** An e-mail change: the contact found by its previous address gets the new one. */
    public PlatformRequest toEmailChange(CloudEvent event) {
        Subscription subscription = event.data().subscription();
        if (subscription == null || subscription.previousEmail() == null) {
            throw new IllegalArgumentException("event " + event.id() + " has no previous e-mail to change");
        }
        ObjectNode properties = json.objectNode();
        properties.put("email", event.data().contact().email());
        ObjectNode body = json.objectNode();
        body.set("properties", properties);
        String path = CONTACTS_PATH + URLEncoder.encode(subscription.previousEmail(), StandardCharsets.UTF_8);
        return new PlatformRequest("PATCH", path, "idProperty=email", body);
    }

    /** Labels the input so a 207 multi-status answer can be matched to it; short, and without the e-mail. */
    private static String traceId(CloudEvent event) {
        String prefix = TRACE_PREFIX.getOrDefault(event.type(), "bus-");
        String member = event.data().subscription() != null ? event.data().subscription().memberId() : null;
        String suffix = member != null ? member : event.id();
        return prefix + suffix.substring(0, Math.min(12, suffix.length()));
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

package io.marketingbus.platform.mixpanel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;

/**
 * The bus's events as Mixpanel Ingestion API requests (docs/platforms/mixpanel.md §3, §4, §6): relayed GA4 hits and
 * purchases as {@code POST /import?strict=1&project_id=<id>} events, contact changes as {@code POST /engage}
 * {@code $set} profile updates. Every event carries a {@code $insert_id} made from the bus's own ids, so a retried or
 * replayed call is counted once by Mixpanel.
 * <p>
 * Who: {@code distinct_id} is the site's user id, the one the GA4 tag sends ({@code <ga4.user-id-prefix><CRM id>},
 * {@code hs-contact-51}), when the contact's CRM id is known; otherwise the contact key (SHA-256 of the e-mail). A
 * relayed hit uses its {@code user_id}, or without one the relay's client key. No clear e-mail or phone number is
 * ever sent, as event property or profile property (§6).
 */
public final class MixpanelTranslator {

    /** Mixpanel's {@code $insert_id}: at most 36 characters, letters, digits and dashes (§4). */
    static final Pattern INSERT_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");
    static final String SOURCE = "marketing-bus";

    private final String projectId;
    private final String projectToken;
    private final String userIdPrefix;
    private final Set<String> conversionEvents;

    /**
     * @param conversionEvents GA4 event names the bus turns into purchases ({@code ga4.conversion-events}): they reach
     *                         Mixpanel once, as {@code Purchase} from {@code marketing.conversions}, not as hits
     */
    public MixpanelTranslator(String projectId, String projectToken, String userIdPrefix, Set<String> conversionEvents) {
        this.projectId = projectId;
        this.projectToken = projectToken;
        this.userIdPrefix = userIdPrefix;
        this.conversionEvents = Set.copyOf(conversionEvents);
    }

    /**
     * A relayed GA4 hit: each of its events as a Mixpanel event with its params as properties; null when nothing is
     * left once the purchases (delivered as {@link #toPurchase}) are left out.
     */
    public PlatformRequest toHitEvents(CloudEvent hitEvent) {
        JsonNode hit = hitEvent.data() == null ? null : hitEvent.data().hit();
        if (hit == null) {
            throw new InvalidEventException("an analytics hit event without its hit");
        }
        String distinctId = hit.hasNonNull("user_id") ? hit.get("user_id").asText() : hitEvent.subject();
        // GA4 takes timestamp_micros as a number or a string of digits; without it the hit's time at the relay
        String micros = hit.path("timestamp_micros").asText("");
        long time = micros.matches("[0-9]{1,19}") ? Long.parseLong(micros) / 1000 : millis(hitEvent.time());
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        int index = 0;
        for (JsonNode event : hit.path("events")) {
            String name = event.path("name").asText("");
            index++;
            if (conversionEvents.contains(name)) {
                continue;
            }
            ObjectNode properties = JsonNodeFactory.instance.objectNode();
            properties.put("time", time);
            properties.put("distinct_id", distinctId);
            properties.put("$insert_id", insertId(hitEvent.id() + "/" + index));
            for (Iterator<Map.Entry<String, JsonNode>> it = event.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> param = it.next();
                properties.set(param.getKey(), param.getValue());
            }
            properties.put("source", SOURCE);
            events.addObject().put("event", name).set("properties", properties);
        }
        return events.isEmpty() ? null : importRequest(events);
    }

    /** A purchase as one {@code Purchase} event with its revenue; its {@code $insert_id} is the order's (§6). */
    public PlatformRequest toPurchase(CloudEvent conversionEvent) {
        Conversion conversion = conversionEvent.data() == null ? null : conversionEvent.data().conversion();
        if (conversion == null) {
            throw new InvalidEventException("a conversion event without its conversion");
        }
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("time", millis(conversionEvent.time()));
        properties.put("distinct_id", distinctId(conversionEvent.subject(), conversionEvent.data().contact()));
        String orderId = "order-" + conversion.transactionId();
        properties.put("$insert_id", INSERT_ID.matcher(orderId).matches() ? orderId : insertId(conversionEvent.id()));
        if (conversion.value() != null) {
            properties.put("revenue", conversion.value());
        }
        properties.put("currency", conversion.currency());
        properties.put("transaction_id", conversion.transactionId());
        putIfSet(properties, "tax", conversion.tax());
        putIfSet(properties, "shipping", conversion.shipping());
        if (conversion.coupon() != null) {
            properties.put("coupon", conversion.coupon());
        }
        if (conversion.purchaseNumber() != null) {
            properties.put("purchase_number", conversion.purchaseNumber());
        }
        properties.put("source", SOURCE);
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        events.addObject().put("event", "Purchase").set("properties", properties);
        return importRequest(events);
    }

    /** A contact's change as a {@code $set} of their profile (§5): names, country, e-mail status; no e-mail, no phone. */
    public PlatformRequest toProfileSet(CloudEvent contactEvent) {
        Contact contact = contactEvent.data() == null ? null : contactEvent.data().contact();
        if (contact == null) {
            throw new InvalidEventException("a contact event without its contact");
        }
        ObjectNode set = JsonNodeFactory.instance.objectNode();
        if (contact.firstName() != null) {
            set.put("$first_name", contact.firstName());
        }
        if (contact.lastName() != null) {
            set.put("$last_name", contact.lastName());
        }
        if (contact.country() != null) {
            set.put("$country_code", contact.country());
        }
        if (contactEvent.data().subscription() != null && contactEvent.data().subscription().status() != null) {
            set.put("email_status", contactEvent.data().subscription().status());
        }
        set.put("contact_key", contactEvent.subject());
        ObjectNode update = JsonNodeFactory.instance.objectNode();
        update.put("$token", projectToken);
        update.put("$distinct_id", distinctId(contactEvent.subject(), contact));
        // the bus's address is no place of the person's: no geolocation from it
        update.put("$ip", "0");
        update.set("$set", set);
        ArrayNode updates = JsonNodeFactory.instance.arrayNode();
        updates.add(update);
        return new PlatformRequest("POST", MixpanelBatches.ENGAGE, "verbose=1", updates);
    }

    private PlatformRequest importRequest(ArrayNode events) {
        return new PlatformRequest("POST", MixpanelBatches.IMPORT, "strict=1&project_id=" + projectId, events);
    }

    private String distinctId(String contactKey, Contact contact) {
        if (contact != null && contact.crmId() != null && !contact.crmId().isBlank()) {
            return userIdPrefix + contact.crmId();
        }
        if (contactKey == null || contactKey.isBlank()) {
            throw new InvalidEventException("the event names no contact: no distinct_id for Mixpanel");
        }
        return contactKey;
    }

    /** 32 hex characters of SHA-256 of the bus's id: the same event always gets the same {@code $insert_id}. */
    static String insertId(String busId) {
        return Identifiers.sha256Hex(busId).substring(0, 32);
    }

    private static long millis(String time) {
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (RuntimeException e) {
            throw new InvalidEventException("event time " + time + " is not an ISO-8601 instant");
        }
    }

    private static void putIfSet(ObjectNode node, String name, BigDecimal value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}

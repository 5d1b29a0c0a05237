package io.marketingbus.platform.mixpanel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Identity;
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
    /** The CloudEvents source prefix of the tracking API's events. */
    static final String TRACKING_SOURCE_PREFIX = "/tracking/";
    /** The param of a tracked hit that holds the site's own (Segment) event name. */
    static final String SEGMENT_EVENT = "segment_event";
    /** Segment's reserved traits as Mixpanel's reserved profile properties. */
    static final Map<String, String> RESERVED_TRAITS = Map.of("firstName", "$first_name", "lastName", "$last_name",
            "name", "$name", "avatar", "$avatar", "createdAt", "$created");
    /** Never sent to Mixpanel (§6), whatever the site put in the traits. */
    static final Set<String> PERSONAL_TRAITS = Set.of("email", "phone", "$email", "$phone", "mobile", "phone_number");
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String projectId;
    private final String projectToken;
    private final String userIdPrefix;
    private final Set<String> conversionEvents;
    private final boolean originalIdMerge;

    /**
     * @param conversionEvents GA4 event names the bus turns into purchases ({@code ga4.conversion-events}): they reach
     *                         Mixpanel once, as {@code Purchase} from {@code marketing.conversions}, not as hits
     */
    public MixpanelTranslator(String projectId, String projectToken, String userIdPrefix, Set<String> conversionEvents) {
        this(projectId, projectToken, userIdPrefix, conversionEvents, false);
    }

    /** @param originalIdMerge the project uses Mixpanel's Original ID Merge ({@code $merge}), not the Simplified one */
    public MixpanelTranslator(String projectId, String projectToken, String userIdPrefix, Set<String> conversionEvents,
                              boolean originalIdMerge) {
        this.originalIdMerge = originalIdMerge;
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
        boolean tracked = hitEvent.source() != null && hitEvent.source().startsWith(TRACKING_SOURCE_PREFIX);
        // a tracked hit's client_id is the site's anonymousId: the id an alias or a later identify links
        String distinctId = hit.hasNonNull("user_id") ? hit.get("user_id").asText()
                : tracked && hit.hasNonNull("client_id") ? hit.get("client_id").asText() : hitEvent.subject();
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
            // a tracked event keeps the site's own name in Mixpanel ("Product Viewed", not GA4's view_item)
            String segmentName = tracked ? event.path("params").path(SEGMENT_EVENT).asText("") : "";
            if (!segmentName.isBlank()) {
                properties.remove(SEGMENT_EVENT);
                name = segmentName;
            }
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

    /**
     * A tracked person's {@code identify} as a {@code $set} of the profile of their user id: the traits as they
     * are, Segment's reserved names as Mixpanel's ({@code firstName} as {@code $first_name}, ...), never an e-mail
     * or a phone number. Null when the identity has no user id (only an anonymousId): Mixpanel keeps profiles for
     * identified users.
     */
    public PlatformRequest toIdentitySet(CloudEvent identityEvent) {
        Identity identity = identityEvent.data() == null ? null : identityEvent.data().identity();
        if (identity == null) {
            throw new InvalidEventException("an identity event without its identity");
        }
        if (identity.userId() == null || identity.userId().isBlank()) {
            return null;
        }
        ObjectNode set = JsonNodeFactory.instance.objectNode();
        if (identity.traits() != null) {
            for (Map.Entry<String, Object> trait : identity.traits().entrySet()) {
                String key = trait.getKey();
                if (PERSONAL_TRAITS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                JsonNode value = MAPPER.valueToTree(trait.getValue());
                if (holdsEmail(value)) {
                    continue;
                }
                set.set(RESERVED_TRAITS.getOrDefault(key, key), value);
            }
        }
        ObjectNode update = JsonNodeFactory.instance.objectNode();
        update.put("$token", projectToken);
        update.put("$distinct_id", identity.userId());
        update.put("$ip", "0");
        update.set("$set", set);
        ArrayNode updates = JsonNodeFactory.instance.arrayNode();
        updates.add(update);
        return new PlatformRequest("POST", MixpanelBatches.ENGAGE, "verbose=1", updates);
    }

    /**
     * A tracked {@code alias} (previousId → userId) as Mixpanel's identity merge, through {@code /import} with the
     * service account: with the Simplified ID Merge an {@code $identify} event carrying {@code $device_id} =
     * previousId and {@code $user_id} = userId (an event with both links them); with the Original ID Merge a
     * {@code $merge} of the two {@code $distinct_ids}, which Mixpanel accepts on {@code /import} only.
     */
    public PlatformRequest toAlias(CloudEvent aliasEvent) {
        Identity identity = aliasEvent.data() == null ? null : aliasEvent.data().identity();
        if (identity == null || identity.userId() == null || identity.userId().isBlank()
                || identity.previousId() == null || identity.previousId().isBlank()) {
            throw new InvalidEventException("an alias needs identity.userId and identity.previousId");
        }
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("time", millis(aliasEvent.time()));
        properties.put("distinct_id", identity.userId());
        properties.put("$insert_id", insertId(aliasEvent.id()));
        String name;
        if (originalIdMerge) {
            name = "$merge";
            properties.putArray("$distinct_ids").add(identity.previousId()).add(identity.userId());
        } else {
            name = "$identify";
            properties.put("$user_id", identity.userId());
            properties.put("$device_id", identity.previousId());
        }
        properties.put("source", SOURCE);
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        events.addObject().put("event", name).set("properties", properties);
        return importRequest(events);
    }

    private static boolean holdsEmail(JsonNode value) {
        if (value.isTextual()) {
            return EMAIL_IN_TEXT.matcher(value.asText()).find();
        }
        for (JsonNode child : value) {
            if (holdsEmail(child)) {
                return true;
            }
        }
        return false;
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

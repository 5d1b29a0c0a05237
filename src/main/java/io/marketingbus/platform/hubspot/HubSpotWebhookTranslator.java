package io.marketingbus.platform.hubspot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.DealChange;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;

/**
 * HubSpot app webhooks (docs/platforms/hubspot.md §1–§2): a JSON array of thin notifications. Deal creations and changes
 * of the deal properties the ad flows care about become {@code marketing.deal.changed} events; other
 * subscription types are acknowledged; an element that cannot be read is reported on its own, so its siblings
 * still go through.
 */
public final class HubSpotWebhookTranslator {

    /** The outcome for one element of the array. */
    public sealed interface Outcome permits Accepted, Ignored, Malformed {
    }

    public record Accepted(CloudEvent event) implements Outcome {
    }

    public record Ignored(String subscriptionType) implements Outcome {
    }

    public record Malformed(String reason, String element) implements Outcome {
    }

    private static final String DEALS_OBJECT_TYPE = "0-3";

    private final Set<String> watchedProperties;

    /** @param watchedProperties deal properties whose change matters downstream (stage, amount, pipeline, ...) */
    public HubSpotWebhookTranslator(Set<String> watchedProperties) {
        this.watchedProperties = Set.copyOf(watchedProperties);
    }

    public List<Outcome> toCanonical(JsonNode body) {
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode element : body) {
            outcomes.add(outcome(element));
        }
        return outcomes;
    }

    /** One element's outcome; whatever an element holds, it never fails its siblings. */
    public Outcome outcome(JsonNode element) {
        try {
            return element(element);
        } catch (RuntimeException e) {
            return new Malformed("element cannot be read (" + e.getClass().getSimpleName() + ")", String.valueOf(element));
        }
    }

    /** Every field is read for what it must be: a field of another JSON type is malformed, never coerced. */
    private Outcome element(JsonNode element) {
        if (element == null || !element.isObject()) {
            return new Malformed("element is not an object", String.valueOf(element));
        }
        JsonNode typeNode = element.get("subscriptionType");
        if (typeNode == null || typeNode.isNull() || (typeNode.isTextual() && typeNode.asText().isEmpty())) {
            return new Malformed("missing subscriptionType", element.toString());
        }
        if (!typeNode.isTextual()) {
            return new Malformed("subscriptionType must be a string", element.toString());
        }
        String type = typeNode.asText();
        JsonNode objectType = element.path("objectTypeId");
        boolean deal = type.startsWith("deal.")
                || (type.startsWith("object.") && objectType.isValueNode() && DEALS_OBJECT_TYPE.equals(objectType.asText()));
        String kind = type.substring(type.indexOf('.') + 1);
        if (!deal || !(kind.equals("creation") || kind.equals("propertyChange"))) {
            return new Ignored(type);
        }
        String property = null;
        if (kind.equals("propertyChange")) {
            JsonNode propertyName = element.get("propertyName");
            if (propertyName == null || !propertyName.isTextual() || propertyName.asText().isBlank()) {
                return new Malformed("a propertyChange needs propertyName, a string", element.toString());
            }
            property = propertyName.asText();
            if (!watchedProperties.contains(property)) {
                return new Ignored(type + ":" + property);
            }
        }
        Long objectId = integral(element.get("objectId"));
        if (objectId == null || objectId <= 0) {
            return new Malformed("objectId must be a positive number", element.toString());
        }
        Long occurredAt = integral(element.get("occurredAt"));
        if (occurredAt == null) {
            return new Malformed("occurredAt must be epoch milliseconds", element.toString());
        }
        String dealId = String.valueOf(objectId);
        String change = kind.equals("creation") ? "created" : "updated";
        String time = Instant.ofEpochMilli(occurredAt).toString();
        Long portalId = integral(element.get("portalId"));
        JsonNode eventId = element.get("eventId");
        String sourceEventId = eventId != null && (eventId.isIntegralNumber() || eventId.isTextual()) ? eventId.asText() : null;
        DealChange dealChange = new DealChange("hubspot", portalId == null || portalId < 0 ? null : String.valueOf(portalId),
                dealId, change, time, "webhook", sourceEventId, property);
        return new Accepted(dealChangedEvent(dealChange, occurredAt));
    }

    /** A JSON integer that fits a long; anything else (text, fraction, object, null, absent) is null. */
    private static Long integral(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() ? node.asLong() : null;
    }

    /** The same change seen by the webhook and by the poller gets the same id. */
    public static CloudEvent dealChangedEvent(DealChange change, long occurredAtMillis) {
        String id = "hs-deal-" + change.dealId() + "-" + change.change() + "-" + occurredAtMillis;
        return CloudEvent.of(id, source(change.portalId()), EventTypes.DEAL_CHANGED, change.occurredAt(),
                dealKey(change.dealId()), EventData.dealChange(change));
    }

    /** Kafka key of a deal's notifications: one deal's changes stay in order. */
    public static String dealKey(String dealId) {
        return Identifiers.sha256Hex("hubspot-deal-" + dealId);
    }

    static String source(String portalId) {
        return "/hubspot/portals/" + (portalId == null ? "unknown" : portalId);
    }
}

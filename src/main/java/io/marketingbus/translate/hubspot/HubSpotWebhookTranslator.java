package io.marketingbus.translate.hubspot;

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
 * HubSpot app webhooks (platforms/README.md §2.1): a JSON array of thin notifications. Deal creations and changes
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
            outcomes.add(element(element));
        }
        return outcomes;
    }

    private Outcome element(JsonNode element) {
        if (!element.isObject()) {
            return new Malformed("element is not an object", element.toString());
        }
        String type = element.path("subscriptionType").asText("");
        boolean deal = type.startsWith("deal.")
                || (type.startsWith("object.") && DEALS_OBJECT_TYPE.equals(element.path("objectTypeId").asText()));
        String kind = type.substring(type.indexOf('.') + 1);
        if (!deal || !(kind.equals("creation") || kind.equals("propertyChange"))) {
            return type.isEmpty() ? new Malformed("missing subscriptionType", element.toString()) : new Ignored(type);
        }
        String property = element.path("propertyName").asText(null);
        if (kind.equals("propertyChange") && !watchedProperties.contains(property)) {
            return new Ignored(type + ":" + property);
        }
        JsonNode objectId = element.get("objectId");
        JsonNode occurredAt = element.get("occurredAt");
        if (objectId == null || !objectId.canConvertToLong() || objectId.asLong() <= 0) {
            return new Malformed("objectId must be a positive number", element.toString());
        }
        if (occurredAt == null || !occurredAt.canConvertToLong()) {
            return new Malformed("occurredAt must be epoch milliseconds", element.toString());
        }
        String dealId = objectId.asText();
        String change = kind.equals("creation") ? "created" : "updated";
        String time = Instant.ofEpochMilli(occurredAt.asLong()).toString();
        String portal = element.path("portalId").canConvertToLong() ? element.get("portalId").asText() : null;
        DealChange dealChange = new DealChange("hubspot", portal, dealId, change, time, "webhook",
                element.hasNonNull("eventId") ? element.get("eventId").asText() : null, property);
        return new Accepted(dealChangedEvent(dealChange, occurredAt.asLong()));
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

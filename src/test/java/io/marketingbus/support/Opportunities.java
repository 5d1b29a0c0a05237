package io.marketingbus.support;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.DealChange;
import io.marketingbus.platform.hubspot.HubSpotDealTranslator;
import io.marketingbus.platform.hubspot.HubSpotWebhookTranslator;

/** Opportunity events made the way the enricher makes them, from the shared HubSpot samples. */
public final class Opportunities {

    private Opportunities() {
    }

    /** Lucia (HubSpot contact 51) as a batch-read answer, with the address details and consent the ad flows use. */
    public static JsonNode luciaContacts(String consent) {
        try {
            return new ObjectMapper().readTree("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"51\",\"properties\":{"
                    + "\"email\":\"Lucia.Martin@Example.com\",\"firstname\":\"Lucia\",\"lastname\":\"Martin\","
                    + "\"phone\":\"+34 600 11 22 33\",\"country\":\"Spain\",\"zip\":\"28001\","
                    + "\"ads_personalisation_consent\":\"" + consent + "\"}}]}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static CloudEvent dealChanged(String change, long occurredAtMillis, String via) {
        DealChange dealChange = new DealChange("hubspot", "62515", "18204751234", change,
                Instant.ofEpochMilli(occurredAtMillis).toString(), via, null, null);
        return HubSpotWebhookTranslator.dealChangedEvent(dealChange, occurredAtMillis);
    }

    /** The shared deal sample enriched with Lucia: exactly one event. */
    public static CloudEvent lucia(String change, long occurredAtMillis, String consent) {
        List<CloudEvent> events = new HubSpotDealTranslator("ads_personalisation_consent", "EUR").toOpportunities(
                dealChanged(change, occurredAtMillis, "webhook"),
                Samples.json("hubspot-deal-get-with-associations-response.json"), luciaContacts(consent));
        if (events.size() != 1) {
            throw new IllegalStateException("expected one event, got " + events.size());
        }
        return events.get(0);
    }
}

package io.marketingbus.platform.ga4;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.InvalidEventException;
import org.apache.camel.Exchange;

/**
 * What GA4 forwarding does with an event of {@code marketing.analytics-hits} (docs/api-destinations.md): the relay's
 * hits go to the relay's stream as before; the tracking API's hits (source {@code /tracking/<name>}) to the GA4
 * stream configured for tracking ({@link Ga4TrackedStreams}), checked against the Measurement Protocol's rules
 * first (a refused one is dead-lettered with GA4's reason: GA4 itself would drop it silently); identity events are
 * no hits and are skipped, as are tracked hits of a source without a stream.
 */
public final class Ga4Forwarding {

    public static final String TRACKING_SOURCE_PREFIX = "/tracking/";

    private final MeasurementProtocolRelay relay;
    private final Ga4TrackedStreams streams;

    public Ga4Forwarding(MeasurementProtocolRelay relay, Ga4TrackedStreams streams) {
        this.relay = relay;
        this.streams = streams;
    }

    /** The exchange property that holds {@link #skipReason}'s answer for the route's choice. */
    public static final String SKIP_REASON = "ga4SkipReason";

    /** Sets {@link #SKIP_REASON} for the delivery's event (null: forward it). */
    public void decide(Exchange exchange) {
        exchange.setProperty(SKIP_REASON, skipReason(exchange.getProperty(DeliveryExchange.CLOUD_EVENT, CloudEvent.class)));
    }

    /** Why the event is not forwarded, or null when it is. */
    public String skipReason(CloudEvent event) {
        if (event.type() != null && event.type().startsWith("marketing.identity.")) {
            return "an identity event (" + event.type() + "): GA4's Measurement Protocol takes hits only";
        }
        String source = trackingSource(event);
        if (source != null && streams.forSource(source).isEmpty()) {
            return "no GA4 stream for tracking source '" + source
                    + "': set tracking.ga4.measurement-id and tracking.ga4.api-secret (or tracking.ga4.streams)";
        }
        // a tracked app screen (screen_view) is GA4's own event, collected by the Firebase SDK: not a dead letter
        JsonNode events = source == null || event.data() == null || event.data().hit() == null ? null
                : event.data().hit().path("events");
        if (events != null && events.isArray() && !events.isEmpty()) {
            boolean allReserved = true;
            for (JsonNode e : events) {
                allReserved &= MeasurementProtocolRelay.reservedEvent(e.path("name").asText());
            }
            if (allReserved) {
                return "GA4's Measurement Protocol reserves " + events.get(0).path("name").asText()
                        + " (app screens reach GA4 through the Firebase SDK)";
            }
        }
        return null;
    }

    /** The collect call: the relay's hit as it is; a tracked hit checked and marked with its stream's measurement id. */
    public PlatformRequest request(CloudEvent event) {
        String source = trackingSource(event);
        if (source == null) {
            return relay.forwardRequest(event);
        }
        JsonNode hit = event.data() == null ? null : event.data().hit();
        if (hit == null) {
            throw new InvalidEventException("an analytics hit event without its hit");
        }
        try {
            relay.validate(hit);
        } catch (InvalidHitException e) {
            throw new InvalidEventException("GA4's Measurement Protocol would drop this tracked hit: " + e.getMessage());
        }
        Optional<Ga4TrackedStreams.Stream> stream = streams.forSource(source);
        if (stream.isEmpty()) {
            throw new IllegalStateException("no GA4 stream for tracking source " + source);
        }
        // the connector adds the stream's api_secret: no secret travels in the request (nor in a dead letter)
        return new PlatformRequest("POST", "/mp/collect",
                "measurement_id=" + URLEncoder.encode(stream.get().measurementId(), StandardCharsets.UTF_8), hit);
    }

    /** The tracking API's source name of the event, or null when it is not a tracked event. */
    static String trackingSource(CloudEvent event) {
        String source = event.source();
        return source != null && source.startsWith(TRACKING_SOURCE_PREFIX) ? source.substring(TRACKING_SOURCE_PREFIX.length()) : null;
    }
}

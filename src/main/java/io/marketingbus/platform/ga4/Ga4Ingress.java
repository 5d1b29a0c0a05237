package io.marketingbus.platform.ga4;

import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.SharedSecret;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.platform.ga4.InvalidHitException;
import io.marketingbus.platform.ga4.MeasurementProtocolRelay;
import org.apache.camel.Exchange;

/**
 * The Camel side of the GA4 Measurement Protocol relay ({@code POST /mp/collect}): the same query parameters and
 * body as GA4's collect endpoint; the {@code api_secret} is checked in constant time. The body becomes records:
 * the cleaned hit for {@code marketing.analytics-hits} (forwarded to GA4 by its own delivery route) and one
 * purchase per conversion event for {@code marketing.purchases} ({@link #PURCHASES}).
 */
public final class Ga4Ingress {

    public static final String PURCHASES = "busPurchases";
    /** GA4's limit on a collect body. */
    static final int MAX_BODY = 130 * 1024;

    private final SharedSecret apiSecret;
    private final String measurementId;
    private final MeasurementProtocolRelay relay;
    private final EventCodec codec;

    public Ga4Ingress(SharedSecret apiSecret, String measurementId, MeasurementProtocolRelay relay, EventCodec codec) {
        this.apiSecret = apiSecret;
        this.measurementId = measurementId;
        this.relay = relay;
        this.codec = codec;
    }

    public void authenticate(Exchange exchange) {
        if (!apiSecret.matches(exchange.getMessage().getHeader("api_secret", String.class))) {
            throw new WebhookRejectedException(401, "api_secret is missing or wrong", false);
        }
        if (!measurementId.equals(exchange.getMessage().getHeader("measurement_id", String.class))) {
            throw new WebhookRejectedException(400, "unknown measurement_id: this relay forwards to " + measurementId, false);
        }
    }

    public void translate(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        raw = raw == null ? new byte[0] : raw;
        exchange.setProperty(IngressExchange.RAW_REQUEST, raw);
        if (raw.length > MAX_BODY) {
            throw new WebhookRejectedException(413, "the body is over GA4's 130 kB", true);
        }
        JsonNode body = UntrustedJson.parse(raw);
        MeasurementProtocolRelay.Relayed relayed;
        List<BusRecord> purchases = new ArrayList<>();
        BusRecord hit;
        try {
            relayed = relay.relay(body);
            String hitId = "ga4-hit-" + Identifiers.sha256Hex(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).substring(0, 32);
            CloudEvent hitEvent = CloudEvent.of(hitId, MeasurementProtocolRelay.HITS_SOURCE, EventTypes.ANALYTICS_HIT,
                    java.time.Instant.now().toString(), relayed.clientKey(), EventData.hit(relayed.hit()));
            hit = new BusRecord(relayed.clientKey(), codec.toJson(hitEvent));
            for (CloudEvent purchase : relayed.purchases()) {
                purchases.add(new BusRecord(purchase.subject(), codec.toJson(purchase)));
            }
        } catch (InvalidHitException | InvalidEventException e) {
            throw new WebhookRejectedException(400, e.getMessage(), true);
        }
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(hit);
        exchange.setProperty(PURCHASES, purchases);
    }
}

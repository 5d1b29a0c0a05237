package io.marketingbus.platform.hubspot;

import io.marketingbus.ingress.BusRecord;
import io.marketingbus.ingress.EventTimeWindow;
import io.marketingbus.ingress.IngressDeadLetter;
import io.marketingbus.ingress.IngressExchange;
import io.marketingbus.ingress.UntrustedJson;
import io.marketingbus.ingress.WebhookRejectedException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.platform.hubspot.HubSpotWebhookTranslator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of the HubSpot webhook: verifies the v3 signature over the raw body and the public URL, then
 * splits the array. Each deal change becomes a record for {@code marketing.deal-changes} (the body, a list); an
 * element that cannot be read becomes its own ingress dead letter ({@link #MALFORMED}), without holding back its
 * siblings; other subscription types are counted.
 */
public final class HubSpotIngress {

    public static final String MALFORMED = IngressExchange.MALFORMED;
    public static final String IGNORED = IngressExchange.IGNORED;
    static final int MAX_EVENTS = 1000;

    private final HubSpotSignatureVerifier verifier;
    private final HubSpotWebhookTranslator translator;
    private final EventCodec codec;
    private final String publicUrl;
    private final EventTimeWindow window;

    /**
     * @param publicUrl the URL HubSpot calls (scheme, host, path), which the signature covers
     * @param window    the {@code occurredAt} values accepted
     */
    public HubSpotIngress(HubSpotSignatureVerifier verifier, HubSpotWebhookTranslator translator, EventCodec codec,
                          String publicUrl, EventTimeWindow window) {
        this.verifier = verifier;
        this.translator = translator;
        this.codec = codec;
        this.publicUrl = publicUrl;
        this.window = window;
    }

    public void verify(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        exchange.setProperty(IngressExchange.RAW_REQUEST, body);
        String query = message.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        String uri = publicUrl + (query == null || query.isEmpty() ? "" : "?" + query);
        verifier.verify("POST", uri, body, message.getHeader("X-HubSpot-Request-Timestamp", String.class),
                message.getHeader("X-HubSpot-Signature-v3", String.class));
    }

    public void translate(Exchange exchange) {
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new WebhookRejectedException(415, "expected Content-Type application/json", true);
        }
        JsonNode body = UntrustedJson.parse(raw);
        if (!body.isArray()) {
            throw new WebhookRejectedException(400, "HubSpot sends a JSON array of events", true);
        }
        if (body.size() > MAX_EVENTS) {
            throw new WebhookRejectedException(413, "at most " + MAX_EVENTS + " events per request", true);
        }
        List<BusRecord> accepted = new ArrayList<>();
        List<Rejected> malformed = new ArrayList<>();
        int ignored = 0;
        for (JsonNode element : body) {
            HubSpotWebhookTranslator.Outcome outcome = translator.outcome(element);
            try {
                if (outcome instanceof HubSpotWebhookTranslator.Accepted a) {
                    String late = window.refusal("occurredAt", element.path("occurredAt").asText(),
                            Instant.parse(a.event().time()));
                    if (late != null) {
                        malformed.add(new Rejected(late, element.toString()));
                        continue;
                    }
                    BusRecord record = new BusRecord(a.event().subject(), codec.toJson(a.event()));
                    IngressExchange.checkSize(record);
                    accepted.add(record);
                } else if (outcome instanceof HubSpotWebhookTranslator.Malformed m) {
                    malformed.add(new Rejected(m.reason(), m.element()));
                } else {
                    ignored++;
                }
            } catch (InvalidEventException | WebhookRejectedException e) {
                malformed.add(new Rejected(e.getMessage(), element.toString()));
            } catch (RuntimeException e) {
                malformed.add(new Rejected("element cannot be read (" + e.getClass().getSimpleName() + ")", element.toString()));
            }
        }
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(accepted);
        exchange.setProperty(MALFORMED, malformed);
        exchange.setProperty(IGNORED, ignored);
        exchange.setProperty(IngressExchange.FORWARD, !accepted.isEmpty());
    }

    /**
     * An element that is not accepted, with the reason. Its text is what the 400 names (shortened: HubSpot only needs
     * to see which one) and, in full as far as the record limit allows, what the dead letter keeps.
     */
    public record Rejected(String reason, String element) {
        @Override
        public String toString() {
            return reason + ": " + (element.length() > 300 ? element.substring(0, 300) + "..." : element);
        }
    }

    /** For the splitter over malformed elements: one ingress dead letter each, with its reason. */
    public void prepareMalformed(Exchange exchange) {
        Rejected rejected = exchange.getMessage().getBody(Rejected.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        IngressDeadLetter.setBody(message, rejected.element().getBytes(StandardCharsets.UTF_8));
        message.setHeader("bus-dlq-reason", IngressDeadLetter.reason(rejected.reason()));
        message.setHeader("bus-dlq-platform", "hubspot");
        message.setHeader("bus-dlq-http-status", "400");
        message.setHeader("bus-dlq-route", exchange.getFromRouteId());
    }
}

package io.marketingbus.ingress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.translate.hubspot.HubSpotWebhookTranslator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of the HubSpot webhook: verifies the v3 signature over the raw body and the public URL, then
 * splits the array. Each deal change becomes a record for {@code marketing.deal-changes} (the body, a list); an
 * element that cannot be read becomes its own ingress dead letter ({@link #MALFORMED}), without holding back its
 * siblings; other subscription types are counted.
 */
public final class HubSpotIngress {

    public static final String MALFORMED = "busMalformed";
    public static final String IGNORED = "busIgnored";
    static final int MAX_EVENTS = 1000;

    private final HubSpotSignatureVerifier verifier;
    private final HubSpotWebhookTranslator translator;
    private final EventCodec codec;
    private final String publicUrl;

    /** @param publicUrl the URL HubSpot calls (scheme, host, path), which the signature covers */
    public HubSpotIngress(HubSpotSignatureVerifier verifier, HubSpotWebhookTranslator translator, EventCodec codec,
                          String publicUrl) {
        this.verifier = verifier;
        this.translator = translator;
        this.codec = codec;
        this.publicUrl = publicUrl;
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
        List<String> malformed = new ArrayList<>();
        int ignored = 0;
        for (HubSpotWebhookTranslator.Outcome outcome : translator.toCanonical(body)) {
            if (outcome instanceof HubSpotWebhookTranslator.Accepted a) {
                try {
                    accepted.add(new BusRecord(a.event().subject(), codec.toJson(a.event())));
                } catch (InvalidEventException e) {
                    malformed.add(e.getMessage());
                }
            } else if (outcome instanceof HubSpotWebhookTranslator.Malformed m) {
                malformed.add(m.reason() + ": " + m.element());
            } else {
                ignored++;
            }
        }
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(accepted);
        exchange.setProperty(MALFORMED, malformed);
        exchange.setProperty(IGNORED, ignored);
        exchange.setProperty(IngressExchange.FORWARD, !accepted.isEmpty());
    }

    /** For the splitter over malformed elements: one ingress dead letter each, with its reason. */
    public void prepareMalformed(Exchange exchange) {
        String element = exchange.getMessage().getBody(String.class);
        int split = element.indexOf(": ");
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody((split < 0 ? element : element.substring(split + 2)).getBytes(StandardCharsets.UTF_8));
        message.setHeader("bus-dlq-reason", split < 0 ? element : element.substring(0, split));
        message.setHeader("bus-dlq-platform", "hubspot");
        message.setHeader("bus-dlq-http-status", "400");
        message.setHeader("bus-dlq-route", exchange.getFromRouteId());
    }
}

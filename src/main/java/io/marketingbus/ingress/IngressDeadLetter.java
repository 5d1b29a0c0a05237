package io.marketingbus.ingress;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns a rejected webhook into its record for {@code marketing.ingress.dlq}: the request body as received
 * (re-encoded from its fields for form posts) with the reason and context as record headers. The URL secret and
 * the request headers are never copied.
 */
public final class IngressDeadLetter {

    /** Where ingress keeps what it refused, with the reason (routes/config/ingress-errors.camel.yaml). */
    public static final String TOPIC = "marketing.ingress.dlq";

    public static final String FAILED = "busDeadLetterFailed";
    /**
     * The most of a request a dead letter keeps: with its headers it stays under the bus's record limit, so the copy
     * of a refused request is always written (a copy Kafka refused would turn the 4xx into a 503).
     */
    static final int MAX_BODY_BYTES = IngressExchange.MAX_RECORD_BYTES - 64 * 1024;
    static final int MAX_REASON_CHARS = 1000;

    /** The dead letter's body: the request, cut at {@link #MAX_BODY_BYTES} with a {@code bus-dlq-truncated} note. */
    public static void setBody(Message message, byte[] raw) {
        if (raw.length > MAX_BODY_BYTES) {
            message.setHeader("bus-dlq-truncated", "the request had " + raw.length + " bytes; the first " + MAX_BODY_BYTES
                    + " are kept");
            message.setBody(java.util.Arrays.copyOf(raw, MAX_BODY_BYTES));
        } else {
            message.setBody(raw);
        }
    }

    public static String reason(String reason) {
        return reason == null || reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "...";
    }

    public void prepare(Exchange exchange) {
        WebhookRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejectedException.class);
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        setBody(message, raw == null ? new byte[0] : raw);
        message.setHeader("bus-dlq-reason", reason(rejection == null ? "rejected" : rejection.getMessage()));
        message.setHeader("bus-dlq-http-status", String.valueOf(rejection == null ? 400 : rejection.status()));
        message.setHeader("bus-dlq-platform", IngressExchange.platform(exchange));
        message.setHeader("bus-dlq-route", exchange.getFromRouteId());
        message.setHeader("bus-dlq-received-at", Instant.ofEpochMilli(exchange.getClock().getCreated()).toString());
        if (contentType != null) {
            message.setHeader("bus-dlq-content-type", contentType);
        }
    }
}

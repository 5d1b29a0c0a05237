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

    public static final String FAILED = "busDeadLetterFailed";

    public void prepare(Exchange exchange) {
        WebhookRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejectedException.class);
        byte[] raw = exchange.getProperty(IngressExchange.RAW_REQUEST, byte[].class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(raw == null ? new byte[0] : raw);
        message.setHeader("bus-dlq-reason", rejection == null ? "rejected" : rejection.getMessage());
        message.setHeader("bus-dlq-http-status", String.valueOf(rejection == null ? 400 : rejection.status()));
        message.setHeader("bus-dlq-platform", IngressExchange.platform(exchange));
        message.setHeader("bus-dlq-route", exchange.getFromRouteId());
        message.setHeader("bus-dlq-received-at", Instant.ofEpochMilli(exchange.getClock().getCreated()).toString());
        if (contentType != null) {
            message.setHeader("bus-dlq-content-type", contentType);
        }
    }
}

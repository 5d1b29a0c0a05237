package io.marketingbus.ingress;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.Identifiers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answer an ingress route gives, and the count of each ({@code marketing_bus_ingress_requests_total} by
 * platform and outcome). Answers carry no request header back and never a stack trace.
 */
public final class IngressResponses {

    private static final Logger LOG = LoggerFactory.getLogger(IngressResponses.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final MeterRegistry meters;

    public IngressResponses(MeterRegistry meters) {
        this.meters = meters;
    }

    /** 200 for the URL validator's GET. */
    public void validated(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        respond(exchange, 200, body("status", "ok"));
        count(platform, "validated");
    }

    /** 200 once the event is on Kafka, or for a webhook the bus acknowledges without forwarding. */
    public void accepted(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        boolean forwarded = exchange.getProperty(IngressExchange.FORWARD, true, Boolean.class);
        ObjectNode body = body("status", forwarded ? "accepted" : "ignored");
        if (forwarded) {
            body.put("id", exchange.getProperty(IngressExchange.EVENT_ID, String.class));
        } else {
            body.put("reason", exchange.getProperty(IngressExchange.EVENT_TYPE, String.class)
                    + " is acknowledged, not forwarded");
        }
        respond(exchange, 200, body);
        count(platform, forwarded ? "accepted" : "ignored");
    }

    /** The 4xx for a webhook we refuse; whether it is also dead-lettered is decided by the route. */
    public void rejected(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        if (exchange.getProperty(IngressDeadLetter.FAILED, false, Boolean.class)) {
            // a malformed request we could not keep: 503 makes the sender retry instead of losing it
            busUnavailable(exchange);
            return;
        }
        WebhookRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejectedException.class);
        int status = rejection == null ? 400 : rejection.status();
        String reason = rejection == null ? "bad request" : rejection.getMessage();
        LOG.warn("{} webhook rejected with {}: {}", platform, status, Identifiers.maskEmailsIn(reason));
        respond(exchange, status, body("error", reason));
        count(platform, "rejected_" + status);
    }

    /** 503 when the event could not be put on Kafka: the sender keeps it and retries. */
    public void busUnavailable(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("{} webhook answered 503, the bus is unavailable: {}", platform,
                cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + Identifiers.maskEmailsIn(cause.getMessage()));
        respond(exchange, 503, body("error", "the bus is unavailable, retry later"));
        exchange.getMessage().setHeader("Retry-After", "30");
        count(platform, "unavailable");
    }

    private ObjectNode body(String key, String value) {
        ObjectNode node = mapper.createObjectNode();
        node.put(key, value);
        return node;
    }

    private void respond(Exchange exchange, int status, ObjectNode body) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void count(String platform, String outcome) {
        meters.counter("marketing_bus_ingress_requests", "platform", platform, "outcome", outcome).increment();
    }

}

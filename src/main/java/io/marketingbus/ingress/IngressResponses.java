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
import io.marketingbus.ops.BusMeters;
import io.marketingbus.ops.DeliveryRecords;

/**
 * Every answer an ingress route gives, and the count of each ({@code marketing_bus_ingress_requests_total} by
 * platform and outcome). Answers carry no request header back and never a stack trace.
 */
public final class IngressResponses {

    private static final Logger LOG = LoggerFactory.getLogger(IngressResponses.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final MeterRegistry meters;
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final DeliveryRecords records;
    private volatile java.util.function.LongConsumer answerTimes = millis -> { };

    public IngressResponses(MeterRegistry meters, DeliveryRecords records) {
        this.meters = meters;
        this.records = records;
    }

    /** Hands every answer's time since the request arrived (milliseconds) to the console's KPIs; must not block. */
    public void onAnswer(java.util.function.LongConsumer answerTimes) {
        this.answerTimes = answerTimes;
    }

    /** 200 for the URL validator's GET. */
    public void validated(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        respond(exchange, 200, body("status", "ok"));
        count(exchange, platform, "validated");
    }

    /** 200 once the event is on Kafka, or for a webhook the bus acknowledges without forwarding. */
    public void accepted(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        boolean forwarded = exchange.getProperty(IngressExchange.FORWARD, true, Boolean.class);
        ObjectNode body = body("status", forwarded ? "accepted" : "ignored");
        if (forwarded) {
            body.put("id", exchange.getProperty(IngressExchange.EVENT_ID, String.class));
            records.record(exchange.getProperty(IngressExchange.EVENT_ID, String.class),
                    exchange.getProperty(IngressExchange.EVENT_TYPE, String.class),
                    exchange.getProperty(IngressExchange.EVENT_SOURCE, String.class), "ingress:" + platform, "accepted",
                    null, exchange.getFromRouteId());
        } else {
            body.put("reason", exchange.getProperty(IngressExchange.EVENT_TYPE, String.class)
                    + " is acknowledged, not forwarded");
        }
        respond(exchange, 200, body);
        count(exchange, platform, forwarded ? "accepted" : "ignored");
    }

    /**
     * The answer to a batch webhook: 200 when every element was put on Kafka or is not for us; 400 naming the
     * elements that could not be read (each kept as an ingress dead letter; the sender does not retry a 400, so
     * the siblings already on Kafka are not sent twice).
     */
    public void acceptedBatch(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        @SuppressWarnings("unchecked")
        java.util.List<?> accepted = exchange.getMessage().getBody(java.util.List.class);
        java.util.List<?> malformed = exchange.getProperty(IngressExchange.MALFORMED, java.util.List.class);
        int ignored = exchange.getProperty(IngressExchange.IGNORED, 0, Integer.class);
        ObjectNode body = mapper.createObjectNode();
        body.put("accepted", accepted == null ? 0 : accepted.size());
        body.put("ignored", ignored);
        int status = 200;
        if (malformed != null && !malformed.isEmpty()) {
            status = 400;
            var rejected = body.putArray("rejected");
            malformed.forEach(m -> rejected.add(String.valueOf(m)));
            malformed.forEach(m -> records.record("rej-" + java.util.UUID.randomUUID(), null, null, "ingress:" + platform,
                    "rejected", "400 unreadable batch element", exchange.getFromRouteId()));
            LOG.warn("{} webhook: {} element(s) rejected, kept in the ingress dead-letter topic", platform, malformed.size());
        }
        respond(exchange, status, body);
        count(exchange, platform, status == 200 ? "accepted" : "rejected");
        if (ignored > 0) {
            BusMeters.ingressEventsIgnored(meters, platform).increment(ignored);
        }
    }

    /**
     * After a record went onto Kafka in a splitter (batch webhooks, polls, the GA4 relay): its acceptance as a delivery
     * record, as {@link #accepted} writes it for a single-event webhook, so every source shows as received. The
     * record's id, type and source are the first fields of its CloudEvent JSON: read without parsing the rest.
     */
    public void published(Exchange exchange) {
        byte[] json = exchange.getMessage().getBody(byte[].class);
        if (json == null) {
            return;
        }
        String id = null;
        String type = null;
        String source = null;
        try (com.fasterxml.jackson.core.JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
                        && (id == null || type == null || source == null)) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "id" -> id = parser.getValueAsString();
                        case "type" -> type = parser.getValueAsString();
                        case "source" -> source = parser.getValueAsString();
                        default -> parser.skipChildren();
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return; // information only: an unreadable record loses its acceptance record, never the event
        }
        records.record(id, type, source, "ingress:" + IngressExchange.platform(exchange), "accepted", null,
                exchange.getFromRouteId());
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
        // a delivery record too, so every instance counts rejections with their reason
        records.record("rej-" + java.util.UUID.randomUUID(), exchange.getProperty(IngressExchange.EVENT_TYPE, String.class),
                null, "ingress:" + platform, "rejected",
                Identifiers.maskPhonesIn(Identifiers.maskEmailsIn(status + " " + reason)), exchange.getFromRouteId());
        respond(exchange, status, body("error", reason));
        count(exchange, platform, "rejected");
    }

    /** 204 with no body, as GA4's collect endpoint answers, once the hit and its purchases are on Kafka. */
    public void noContent(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setBody(null);
        timed(exchange);
        count(exchange, IngressExchange.platform(exchange), "accepted");
    }

    /** 503 when the event could not be put on Kafka: the sender keeps it and retries. */
    public void busUnavailable(Exchange exchange) {
        String platform = IngressExchange.platform(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("{} webhook answered 503, the bus is unavailable: {}", platform,
                cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + Identifiers.maskEmailsIn(cause.getMessage()));
        respond(exchange, 503, body("error", "the bus is unavailable, retry later"));
        exchange.getMessage().setHeader("Retry-After", "30");
        count(exchange, platform, "unavailable");
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
        timed(exchange);
    }

    private void timed(Exchange exchange) {
        try {
            answerTimes.accept(exchange.getClock().elapsed());
        } catch (RuntimeException e) {
            // a measurement never changes an answer
        }
    }

    private void count(Exchange exchange, String platform, String outcome) {
        count(platform, outcome, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
    }

    /** Also for answers given before a route sees the request ({@link WebhookServer}). */
    public void count(String platform, String outcome, int status) {
        // found once per (platform, outcome, status): building the meter's id and searching the registry on every
        // webhook cost a share of its CPU
        counters.computeIfAbsent(platform + '\u0000' + outcome + '\u0000' + status,
                key -> BusMeters.ingressRequests(meters, platform, outcome, status)).increment();
    }

}

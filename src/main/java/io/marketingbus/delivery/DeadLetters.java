package io.marketingbus.delivery;

import java.time.Instant;

import io.marketingbus.event.Identifiers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.ops.DeliveryRecords;

/**
 * Prepares a failed delivery for its destination's dead-letter topic. The record keeps the original bytes, key
 * and headers (the error handler hands us the original message) and gains {@code bus-dlq-*} headers saying why.
 */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_RESPONSE_BODY = 4096;

    private final MeterRegistry meters;
    private final DeliveryRecords records;

    public DeadLetters(MeterRegistry meters, DeliveryRecords records) {
        this.meters = meters;
        this.records = records;
    }

    public void prepare(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        BatchItem item = exchange.getProperty(DeliveryExchange.BATCH_ITEM, BatchItem.class);
        if (item != null) {
            // failed in its item route: whatever the handler made of it, the letter is the record as it was on Kafka
            message.setHeaders(new java.util.HashMap<>(item.headers()));
            message.setBody(item.record());
        }
        String destination = exchange.getProperty(DeliveryExchange.DESTINATION, String.class);
        String reason = reason(failure);

        message.setHeader("bus-dlq-reason", reason);
        message.setHeader("bus-dlq-exception", failure == null ? "none" : failure.getClass().getName());
        message.setHeader("bus-dlq-destination", destination);
        String route = exchange.getProperty(DeliveryExchange.ROUTE, exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class),
                String.class);
        message.setHeader("bus-dlq-route", route);
        message.setHeader("bus-dlq-attempts", String.valueOf(exchange.getProperty(DeliveryExchange.ATTEMPTS, 1, Integer.class)));
        long firstFailure = exchange.getProperty(DeliveryExchange.FIRST_FAILURE_AT, System.currentTimeMillis(), Long.class);
        message.setHeader("bus-dlq-first-failure-at", Instant.ofEpochMilli(firstFailure).toString());
        message.setHeader("bus-dlq-dead-lettered-at", Instant.now().toString());
        copySource(message);
        httpDetails(failure, message);

        // bookkeeping never stops the dead letter itself: a letter not written would stall the record's batch
        try {
            BusMeters.deliveryEvents(meters, destination, "dead_lettered").increment();
        } catch (RuntimeException e) {
            LOG.warn("dead letter of event {} not counted: {}", exchange.getProperty(DeliveryExchange.EVENT_ID), e.getClass().getName());
        }
        try {
            records.record(exchange.getProperty(DeliveryExchange.EVENT_ID, String.class),
                    exchange.getProperty(DeliveryExchange.EVENT_TYPE, String.class), DeliveryExchange.source(exchange),
                    destination, "dead-lettered",
                    Identifiers.maskEmailsIn(reason), route,
                    exchange.getProperty(DeliveryExchange.ATTEMPTS, 1, Integer.class),
                    DeliveryRetryPolicy.httpStatus(failure), DeliveryRetryPolicy.responseBody(failure));
        } catch (RuntimeException e) {
            LOG.warn("dead letter of event {} not recorded: {}", exchange.getProperty(DeliveryExchange.EVENT_ID), e.getClass().getName());
        }
        LOG.warn("Event {} dead-lettered for {} after {} attempt(s): {}", exchange.getProperty(DeliveryExchange.EVENT_ID),
                destination, message.getHeader("bus-dlq-attempts"), Identifiers.maskEmailsIn(reason));
    }

    /** The record is safely parked; its batch commits the offset. */
    public void parked(Exchange exchange) {
        exchange.setProperty(DeliveryExchange.PARKED, true);
        org.slf4j.MDC.remove("eventId");
        org.slf4j.MDC.remove("destination");
    }

    private static void copySource(Message message) {
        message.setHeader("bus-dlq-source-topic", String.valueOf(message.getHeader(KafkaConstants.TOPIC)));
        message.setHeader("bus-dlq-source-partition", String.valueOf(message.getHeader(KafkaConstants.PARTITION)));
        message.setHeader("bus-dlq-source-offset", String.valueOf(message.getHeader(KafkaConstants.OFFSET)));
    }

    private static void httpDetails(Throwable failure, Message message) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                message.setHeader("bus-dlq-http-status", String.valueOf(http.getStatusCode()));
                message.setHeader("bus-dlq-response-body", truncate(http.getResponseBody()));
                return;
            }
            if (t instanceof PlatformRejectedException rejected) {
                message.setHeader("bus-dlq-http-status", String.valueOf(rejected.status()));
                message.setHeader("bus-dlq-response-body", truncate(rejected.responseBody()));
                return;
            }
        }
    }

    private static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                // the exception message holds the request URI, which may carry an e-mail: say status and text only
                return "HTTP " + http.getStatusCode() + " " + http.getStatusText() + " from the platform";
            }
        }
        // bounded, as the response body: a letter must fit Kafka's record limit whatever the exception says
        return truncate(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private static String truncate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= MAX_RESPONSE_BODY ? body : body.substring(0, MAX_RESPONSE_BODY) + "…";
    }
}

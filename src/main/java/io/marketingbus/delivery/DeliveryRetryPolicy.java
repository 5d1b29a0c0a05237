package io.marketingbus.delivery;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.marketingbus.event.InvalidEventException;
import io.marketingbus.ops.BusMeters;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * When and how soon a failed delivery is tried again. Transient failures (HTTP 5xx, 408, 429, timeouts and other
 * I/O errors) are retried with exponential backoff and full jitter, or after the platform's {@code Retry-After}
 * when it sends one; anything else (other 4xx, invalid events) goes straight to the dead-letter topic. Retries stop
 * after {@code maxAttempts} calls or once {@code maxElapsed} has passed since the first failure.
 * <p>
 * Wired into the delivery error handler twice: {@link #recordFailure} runs when an exception occurs (it counts the
 * attempt and sets Camel's redelivery delay header) and {@link #shouldRetry} is the retry-while predicate.
 */
public final class DeliveryRetryPolicy {

    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final DestinationBreakers breakers;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final int maxAttempts;
    private final Duration maxElapsed;

    public DeliveryRetryPolicy(io.micrometer.core.instrument.MeterRegistry meters, DestinationBreakers breakers,
                               Duration initialDelay, Duration maxDelay, double multiplier, int maxAttempts,
                               Duration maxElapsed) {
        this.meters = meters;
        this.breakers = breakers;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.maxAttempts = maxAttempts;
        this.maxElapsed = maxElapsed;
    }

    /** Runs once per failed attempt, before Camel decides whether to redeliver. */
    public void recordFailure(Exchange exchange) {
        int attempts = exchange.getProperty(DeliveryExchange.ATTEMPTS, 0, Integer.class) + 1;
        exchange.setProperty(DeliveryExchange.ATTEMPTS, attempts);
        if (exchange.getProperty(DeliveryExchange.FIRST_FAILURE_AT) == null) {
            exchange.setProperty(DeliveryExchange.FIRST_FAILURE_AT, System.currentTimeMillis());
        }
        Duration delay = delayAfter(exchange.getProperty(DeliveryExchange.DESTINATION, String.class),
                exchange.getException(), attempts);
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
    }

    /** Asked by Camel before each redelivery. */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return mayRetry(exchange.getProperty(DeliveryExchange.DESTINATION, String.class), failure,
                exchange.getProperty(DeliveryExchange.ATTEMPTS, 0, Integer.class),
                exchange.getProperty(DeliveryExchange.FIRST_FAILURE_AT, System.currentTimeMillis(), Long.class),
                exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, 0L, Long.class));
    }

    /**
     * How long to wait after the given failed attempt; feeds the destination's breaker, whose open state stretches
     * the wait to its probe.
     */
    public Duration delayAfter(String destination, Throwable failure, int attempts) {
        Duration delay = nextDelay(failure, attempts);
        if (destination != null && isTransient(failure)) {
            breakers.failed(destination, failure);
            if (breakers.isOpen(destination)) {
                // the platform is down: wait for the breaker's probe instead of hammering it
                delay = delay.compareTo(breakers.openFor()) > 0 ? delay : breakers.openFor();
            }
        }
        return delay;
    }

    /** Whether a delivery that failed {@code attempts} times, the first at {@code firstFailure}, is tried again. */
    public boolean mayRetry(String destination, Throwable failure, int attempts, long firstFailure, long delayMs) {
        if (!isTransient(failure)) {
            return false;
        }
        if (destination != null && breakers.isOpen(destination)
                && System.currentTimeMillis() - firstFailure < breakers.maxHold().toMillis()) {
            // a platform outage is no reason to dead-letter the event: the consumer holds it until the platform is
            // back (or, should this very event be what fails, until the hold runs out)
            BusMeters.deliveryRetries(meters, destination).increment();
            return true;
        }
        if (attempts >= maxAttempts) {
            return false;
        }
        boolean retry = System.currentTimeMillis() - firstFailure + delayMs <= maxElapsed.toMillis();
        if (retry) {
            BusMeters.deliveryRetries(meters, destination).increment();
        }
        return retry;
    }

    Duration nextDelay(Throwable failure, int attempts) {
        Duration retryAfter = retryAfter(failure);
        if (retryAfter != null) {
            return retryAfter;
        }
        double ceiling = Math.min(maxDelay.toMillis(), initialDelay.toMillis() * Math.pow(multiplier, attempts - 1));
        // full jitter keeps many consumers that failed together from retrying in step
        return Duration.ofMillis((long) (ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2));
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return status >= 500 || status == 429 || status == 408;
            }
            if (t instanceof InvalidEventException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** {@code Retry-After} in seconds or as an HTTP date, from a 429 or 503. */
    static Duration retryAfter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http && http.getResponseHeaders() != null) {
                String value = header(http.getResponseHeaders(), "Retry-After");
                return value == null ? null : parseRetryAfter(value);
            }
        }
        return null;
    }

    static Duration parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}

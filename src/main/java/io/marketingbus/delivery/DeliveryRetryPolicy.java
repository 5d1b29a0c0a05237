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
import io.marketingbus.platform.CredentialsRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * When and how soon a failed delivery is tried again. Transient failures (HTTP 5xx, 408, 429, timeouts and other
 * I/O errors) are retried with exponential backoff and full jitter, or after the platform's {@code Retry-After}
 * when it sends one; anything else (other 4xx, invalid events) goes straight to the dead-letter topic. Retries stop
 * after {@code maxAttempts} calls or once {@code maxElapsed} has passed since the first failure.
 * <p>
 * A 429 is no failure of the platform but its pace: it pauses every call of the destination until its
 * {@code Retry-After} (or an exponential backoff without one) through {@link DestinationPacing}, never counts for
 * the breaker, and, like an open breaker, holds the event for up to the breaker's max hold instead of spending its
 * attempts and time: those caps count failures only, without the rate-limited answers and their pauses. An OAuth
 * credential its token endpoint refuses ({@link CredentialsRejectedException}) is held the same way, probing every
 * breaker open period: a setup error, never the event's fault, so never a dead letter within the max hold.
 * <p>
 * Wired into the delivery error handler twice: {@link #recordFailure} runs when an exception occurs (it counts the
 * attempt and sets Camel's redelivery delay header) and {@link #shouldRetry} is the retry-while predicate.
 */
public final class DeliveryRetryPolicy {

    /** Rate-limited answers among the attempts, and the time their pauses took. */
    static final String RATE_LIMITED = "busRateLimited";
    static final String PAUSED_MS = "busRateLimitPausedMs";

    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final DestinationBreakers breakers;
    private final DestinationPacing pacing;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final int maxAttempts;
    private final Duration maxElapsed;
    private volatile io.marketingbus.ops.DeliveryRecords records;

    public DeliveryRetryPolicy(io.micrometer.core.instrument.MeterRegistry meters, DestinationBreakers breakers,
                               DestinationPacing pacing, Duration initialDelay, Duration maxDelay, double multiplier,
                               int maxAttempts, Duration maxElapsed) {
        this.meters = meters;
        this.breakers = breakers;
        this.pacing = pacing;
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
        if (isHeld(exchange.getException())) {
            exchange.setProperty(RATE_LIMITED, exchange.getProperty(RATE_LIMITED, 0, Integer.class) + 1);
            exchange.setProperty(PAUSED_MS, exchange.getProperty(PAUSED_MS, 0L, Long.class) + delay.toMillis());
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
    }

    /** Where a decision to try a call again is noted ({@code retried}), for the live stream and operators. */
    public void recordRetriesIn(io.marketingbus.ops.DeliveryRecords records) {
        this.records = records;
    }

    /**
     * Notes that the event's call is tried again after this failed attempt; best-effort, never fails the delivery.
     *
     * @param event the event's delivery exchange (its id, type, source and route)
     */
    public void retried(Exchange event, String destination, int attempt, Throwable failure) {
        io.marketingbus.ops.DeliveryRecords to = records;
        if (to == null || event == null) {
            return;
        }
        try {
            Integer status = httpStatus(failure);
            String reason = status != null ? "HTTP " + status
                    : failure == null ? "unknown failure" : failure.getClass().getSimpleName();
            to.record(event.getProperty(DeliveryExchange.EVENT_ID, String.class),
                    event.getProperty(DeliveryExchange.EVENT_TYPE, String.class), DeliveryExchange.source(event),
                    destination, "retried", reason, event.getProperty(DeliveryExchange.ROUTE, String.class),
                    attempt, status, responseBody(failure));
        } catch (RuntimeException e) {
            // a record never decides a retry
        }
    }

    /** The HTTP status of the platform's answer behind the failure, or null (I/O error, no answer). */
    public static Integer httpStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode();
            }
            if (t instanceof PlatformRejectedException rejected) {
                return rejected.status();
            }
        }
        return null;
    }

    /** The platform's response body behind the failure, or null (no answer). */
    public static String responseBody(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getResponseBody();
            }
            if (t instanceof PlatformRejectedException rejected) {
                return rejected.responseBody();
            }
        }
        return null;
    }

    /** Asked by Camel before each redelivery. */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean retry = mayRetry(exchange.getProperty(DeliveryExchange.DESTINATION, String.class), failure,
                exchange.getProperty(DeliveryExchange.ATTEMPTS, 0, Integer.class)
                        - exchange.getProperty(RATE_LIMITED, 0, Integer.class),
                exchange.getProperty(DeliveryExchange.FIRST_FAILURE_AT, System.currentTimeMillis(), Long.class),
                exchange.getProperty(PAUSED_MS, 0L, Long.class),
                exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, 0L, Long.class));
        if (retry) {
            retried(exchange, exchange.getProperty(DeliveryExchange.DESTINATION, String.class),
                    exchange.getProperty(DeliveryExchange.ATTEMPTS, 0, Integer.class), failure);
        }
        return retry;
    }

    /** Returns once the destination may be called (it is not paused by a rate limit). */
    public void awaitTurn(String destination) {
        pacing.awaitTurn(destination);
    }

    /**
     * How long to wait after the given failed attempt; feeds the destination's breaker, whose open state stretches
     * the wait to its probe.
     */
    public Duration delayAfter(String destination, Throwable failure, int attempts) {
        Duration delay = nextDelay(failure, attempts);
        if (destination != null && isCredentialsRejected(failure)) {
            // a setup error: every call of the destination waits, and asks the token endpoint again after the pause
            return pacing.pause(destination, breakers.openFor());
        }
        if (destination != null && isRateLimited(failure)) {
            // the platform's pace, not its failure: every call of the destination waits the same pause
            return pacing.pause(destination, delay);
        }
        if (destination != null && isTransient(failure)) {
            breakers.failed(destination, failure);
            if (breakers.isOpen(destination)) {
                // the platform is down: wait for the breaker's probe instead of hammering it
                delay = delay.compareTo(breakers.openFor()) > 0 ? delay : breakers.openFor();
            }
        }
        return delay;
    }

    /**
     * Whether a delivery is tried again after this failure.
     *
     * @param failures     its failed attempts, rate-limited answers not counted
     * @param firstFailure when it first failed (or was first rate-limited)
     * @param pausedMs     how long rate limits paused it, which does not count against {@code maxElapsed}
     * @param delayMs      the wait before the next attempt
     */
    public boolean mayRetry(String destination, Throwable failure, int failures, long firstFailure, long pausedMs,
                            long delayMs) {
        if (!isTransient(failure)) {
            return false;
        }
        long held = System.currentTimeMillis() - firstFailure;
        if (isHeld(failure)) {
            // a pause, as for an outage (or refused credentials, until they are fixed): held until the platform takes calls again, at most the max hold
            boolean hold = held + delayMs < breakers.maxHold().toMillis();
            if (hold) {
                countRetry(destination);
            }
            return hold;
        }
        if (destination != null && breakers.isOpen(destination) && held < breakers.maxHold().toMillis()) {
            // a platform outage is no reason to dead-letter the event: the consumer holds it until the platform is
            // back (or, should this very event be what fails, until the hold runs out)
            countRetry(destination);
            return true;
        }
        if (failures >= maxAttempts) {
            return false;
        }
        boolean retry = held - pausedMs + delayMs <= maxElapsed.toMillis();
        if (retry) {
            countRetry(destination);
        }
        return retry;
    }

    private void countRetry(String destination) {
        try {
            BusMeters.deliveryRetries(meters, String.valueOf(destination)).increment();
        } catch (RuntimeException e) {
            // a metric never decides a retry
        }
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

    /**
     * Failures that hold the event without counting as failed attempts, up to the breaker's max hold: a 429, and
     * credentials the token endpoint refuses (a setup error; the event is not at fault).
     */
    public static boolean isHeld(Throwable failure) {
        return isRateLimited(failure) || isCredentialsRejected(failure);
    }

    /** The token endpoint refused the platform's OAuth credential (invalid_grant, invalid_client). */
    public static boolean isCredentialsRejected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CredentialsRejectedException) {
                return true;
            }
        }
        return false;
    }

    /** HTTP 429: the platform asks for a slower pace. */
    public static boolean isRateLimited(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() == 429;
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CredentialsRejectedException) {
                return true;
            }
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

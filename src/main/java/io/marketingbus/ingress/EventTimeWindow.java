package io.marketingbus.ingress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The event times ingress accepts: from {@code maxAge} before the bus's clock to {@code maxFuture} after it. A
 * source timestamp outside it (a year-2400 {@code fired_at}, an {@code occurredAt} of 32503680000000) is no real
 * event; accepted, it would travel the whole bus and break every consumer's arithmetic, so it is refused at the door.
 */
public final class EventTimeWindow {

    private final Duration maxAge;
    private final Duration maxFuture;
    private final Clock clock;

    public EventTimeWindow(Duration maxAge, Duration maxFuture, Clock clock) {
        if (maxAge.isNegative() || maxFuture.isNegative()) {
            throw new IllegalArgumentException("the event time window must not be negative");
        }
        this.maxAge = maxAge;
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    /** The same window with another tolerance for the future (Mailchimp's zone-less {@code fired_at}). */
    /** How far ahead of the bus's clock an event time may be. */
    public Duration maxFuture() {
        return maxFuture;
    }

    public EventTimeWindow withMaxFuture(Duration future) {
        return new EventTimeWindow(maxAge, future, clock);
    }

    /**
     * @param field the field as the sender names it
     * @param shown the value as the sender wrote it
     * @throws WebhookRejectedException 400 naming the field and the window, kept as an ingress dead letter
     */
    public void check(String field, String shown, Instant time) {
        String refusal = refusal(field, shown, time);
        if (refusal != null) {
            throw new WebhookRejectedException(400, refusal, true);
        }
    }

    /** Why this time is refused, or null when it is inside the window. */
    public String refusal(String field, String shown, Instant time) {
        Instant now = clock.instant();
        Instant from = now.minus(maxAge);
        Instant to = now.plus(maxFuture);
        if (time != null && !time.isBefore(from) && !time.isAfter(to)) {
            return null;
        }
        return field + " " + shown + " is outside the accepted event time window: at most " + human(maxAge)
                + " old and " + human(maxFuture) + " ahead of the bus's clock (" + from + " to " + to + ")";
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}

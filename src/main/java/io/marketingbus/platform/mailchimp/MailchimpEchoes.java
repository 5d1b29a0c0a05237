package io.marketingbus.platform.mailchimp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.marketingbus.event.Identifiers;

/**
 * Mailchimp webhooks caused by the bus's own writes. The webhook's {@code sources} setting ({@code api: false})
 * should keep them away; if it is left on, flow 1 must not treat the bus's loyalty upsert as a person's subscribe
 * or profile change. The loyalty route notes each member it writes; a subscribe or profile webhook for that member
 * within the window is an echo.
 */
public final class MailchimpEchoes {

    private final Map<String, Instant> written = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Instant> lastPruned =
            new java.util.concurrent.atomic.AtomicReference<>(Instant.EPOCH);
    private final Duration window;
    private final Clock clock;

    public MailchimpEchoes(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    public void expect(String email) {
        Instant now = clock.instant();
        written.put(Identifiers.normaliseEmail(email), now);
        // forget expired entries once a minute, not on every write
        Instant pruned = lastPruned.get();
        if (now.isAfter(pruned.plusSeconds(60)) && lastPruned.compareAndSet(pruned, now)) {
            written.values().removeIf(t -> t.isBefore(now.minus(window)));
        }
    }

    public boolean isEcho(String webhookType, String email) {
        if (email == null || !("subscribe".equals(webhookType) || "profile".equals(webhookType))) {
            return false;
        }
        Instant at = written.get(Identifiers.normaliseEmail(email));
        return at != null && at.isAfter(clock.instant().minus(window));
    }
}

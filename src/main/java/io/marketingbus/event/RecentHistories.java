package io.marketingbus.event;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The customer histories a purchase resolver wrote in the last {@link #RECENT}, by e-mail: a CRM takes seconds to
 * show a write in its search, so the resolver's own memory of a customer's last purchases counts until then. Each
 * read-and-write is atomic per customer: two purchases of one person resolved at once by two consumer threads (their
 * orders, keyed by order, may sit in two partitions) are counted one after the other, never both as the first.
 * Instances do not share it: across instances the CRM's own count is what they have.
 */
public final class RecentHistories {

    /** How long a resolver trusts its own write over the CRM's answer. */
    public static final Duration RECENT = Duration.ofMinutes(15);

    private record Entry(CustomerHistory history, Instant at) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastPruned = new AtomicReference<>(Instant.EPOCH);
    private final Clock clock;

    public RecentHistories(Clock clock) {
        this.clock = clock;
    }

    /** The history once a new purchase of {@code value} is counted: on the CRM's, or on this resolver's if it is ahead. */
    public CustomerHistory purchase(String email, CustomerHistory crm, BigDecimal value) {
        Instant now = clock.instant();
        CustomerHistory[] next = new CustomerHistory[1];
        entries.compute(email, (key, last) -> {
            CustomerHistory base = fresh(last, now) && last.history().count() > crm.count() ? last.history() : crm;
            next[0] = new CustomerHistory(base.count() + 1, base.total().add(value == null ? BigDecimal.ZERO : value));
            return new Entry(next[0], now);
        });
        prune(now);
        return next[0];
    }

    /** The history once a counted order's change applies: on this resolver's recent write if any, else the CRM's. */
    public CustomerHistory change(String email, CustomerHistory crm, CloudEvent change) {
        Instant now = clock.instant();
        CustomerHistory[] next = new CustomerHistory[1];
        entries.compute(email, (key, last) -> {
            next[0] = (fresh(last, now) ? last.history() : crm).after(change);
            return new Entry(next[0], now);
        });
        prune(now);
        return next[0];
    }

    private static boolean fresh(Entry entry, Instant now) {
        return entry != null && entry.at().isAfter(now.minus(RECENT));
    }

    /** Once a minute, not on every purchase (a hot path): forget what is older than {@link #RECENT}. */
    private void prune(Instant now) {
        Instant pruned = lastPruned.get();
        if (now.isAfter(pruned.plusSeconds(60)) && lastPruned.compareAndSet(pruned, now)) {
            entries.values().removeIf(entry -> !fresh(entry, now));
        }
    }
}

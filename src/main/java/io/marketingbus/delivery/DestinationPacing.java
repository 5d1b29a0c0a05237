package io.marketingbus.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each destination may be called again after its platform answered "too many requests" (HTTP 429). One
 * "not before" per destination, shared by every call of it (a batch's call threads, the calls a handler makes
 * itself): a rate limit paces the destination as the platform asks, instead of each call waiting out its own
 * answer, and it is no sign of an outage (the breaker never hears of it).
 */
public final class DestinationPacing {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationPacing.class);

    private final Map<String, AtomicLong> notBefore = new ConcurrentHashMap<>();

    /**
     * No call of the destination before {@code wait} from now (a later pause already set stands).
     *
     * @return how long from now its calls wait
     */
    public Duration pause(String destination, Duration wait) {
        long now = System.currentTimeMillis();
        AtomicLong slot = notBefore.computeIfAbsent(destination, d -> new AtomicLong());
        long before = slot.get();
        long until = slot.accumulateAndGet(now + wait.toMillis(), Math::max);
        if (before <= now) {
            LOG.info("{} is rate-limited by its platform: its calls wait {} ms", destination, until - now);
        }
        return Duration.ofMillis(until - now);
    }

    /** How long calls of the destination still wait; zero when it may be called. */
    public Duration remaining(String destination) {
        AtomicLong slot = destination == null ? null : notBefore.get(destination);
        return Duration.ofMillis(slot == null ? 0 : Math.max(0, slot.get() - System.currentTimeMillis()));
    }

    /**
     * Returns once the destination may be called (at once when it is not paused). Interrupted (the bus is
     * stopping), the call fails, so its batch stays uncommitted and is delivered after the restart.
     */
    public void awaitTurn(String destination) {
        for (Duration wait = remaining(destination); !wait.isZero(); wait = remaining(destination)) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.camel.RuntimeCamelException("interrupted while " + destination
                        + " is rate-limited", e);
            }
        }
    }
}

package io.marketingbus.api.tracking;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per write key, per instance ({@code tracking.rate-limit.per-second}, {@code .burst}): a key may
 * send {@code burst} calls at once, then {@code perSecond} a second. Several instances behind a load balancer each
 * allow that much (docs/api.md, "Rate limit").
 */
public final class TrackingRateLimit {

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TrackingRateLimit(double perSecond, double burst, Clock clock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("tracking.rate-limit: per-second must be positive and burst at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes a token for the key: 0 when the call may go, else the milliseconds until the next token. */
    public long take(String key) {
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, clock.millis())).take(clock.millis());
    }

    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized long take(long now) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * perSecond / 1000.0);
                updated = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * 1000.0 / perSecond);
        }
    }
}

package io.marketingbus.api.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

class TrackingRateLimitTest {

    final MovableClock clock = new MovableClock("2026-11-29T18:00:00Z");

    @Test
    void aBurstGoesThroughThenTheRateHolds() {
        TrackingRateLimit limit = new TrackingRateLimit(10, 3, clock);
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).as("empty: one token in 100 ms").isEqualTo(100);
        clock.advance(Duration.ofMillis(50));
        assertThat(limit.take("web#1")).isEqualTo(50);
        clock.advance(Duration.ofMillis(50));
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isEqualTo(100);
    }

    @Test
    void eachKeyHasItsOwnBucketAndIdleTimeRefillsOnlyUpToTheBurst() {
        TrackingRateLimit limit = new TrackingRateLimit(1, 2, clock);
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isEqualTo(1000);
        assertThat(limit.take("ios#1")).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isZero();
        assertThat(limit.take("web#1")).isEqualTo(1000);
    }
}

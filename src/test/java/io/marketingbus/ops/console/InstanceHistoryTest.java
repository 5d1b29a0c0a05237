package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

/** This instance's health samples and ingress answer times per minute. */
class InstanceHistoryTest {

    final MovableClock clock = new MovableClock("2026-11-29T12:00:00Z");
    final InstanceHistory history = new InstanceHistory(clock);

    @Test
    void healthAndAnswersOfTheWindow() {
        history.health(true);
        history.health(false);
        for (int i = 1; i <= 100; i++) {
            history.answered(i);
        }
        clock.advance(Duration.ofMinutes(90));
        history.health(true);
        history.answered(500); // read back as its bin's upper bound, 1.2^35 = 590

        assertThat(history.measured(Duration.ofHours(1), Duration.ZERO)).isEqualTo(new InstanceHistory.Measured(1, 1, 1, 590L));
        InstanceHistory.Measured day = history.measured(Duration.ofDays(1), Duration.ZERO);
        assertThat(day.healthSamples()).isEqualTo(3);
        assertThat(day.healthUp()).isEqualTo(2);
        assertThat(day.answers()).isEqualTo(101);
        assertThat(day.p95Ms()).isBetween(96L, 115L);
        // an earlier hour alone
        assertThat(history.measured(Duration.ofHours(2), Duration.ofHours(1)).healthSamples()).isEqualTo(2);
    }
}

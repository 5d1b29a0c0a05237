package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    final MovableClock clock = new MovableClock("2026-11-29T12:00:00Z");
    final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), 3);

    @Test
    void aSessionIdIs256RandomBitsAndNeverRepeats() {
        ConsoleSessions many = new ConsoleSessions(clock, Duration.ofMinutes(30), 10_000);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = many.create();
            assertThat(id).matches("[A-Za-z0-9_-]{43}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void aSessionEndsAfterItsIdleTimeAndEachRequestStartsTheIdleTimeAgain() {
        String id = sessions.create();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(id)).isTrue();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(id)).isTrue();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.touch(id)).isFalse();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void signingOutEndsTheSessionAndUnknownIdsAreRefused() {
        String id = sessions.create();
        sessions.remove(id);
        assertThat(sessions.touch(id)).isFalse();
        assertThat(sessions.touch("forged")).isFalse();
        assertThat(sessions.touch(null)).isFalse();
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedSessionIsDropped() {
        String first = sessions.create();
        clock.advance(Duration.ofSeconds(1));
        String second = sessions.create();
        clock.advance(Duration.ofSeconds(1));
        String third = sessions.create();
        clock.advance(Duration.ofSeconds(1));
        sessions.touch(first);

        String fourth = sessions.create();

        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.touch(second)).isFalse();
        assertThat(sessions.touch(first)).isTrue();
        assertThat(sessions.touch(third)).isTrue();
        assertThat(sessions.touch(fourth)).isTrue();
    }
}

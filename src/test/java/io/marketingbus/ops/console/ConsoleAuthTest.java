package io.marketingbus.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConsoleAuthTest {

    static ConsoleSessions sessions() {
        return new ConsoleSessions(Clock.systemUTC(), Duration.ofMinutes(30), 10);
    }

    @Test
    void withoutAnAdminTokenTheConsoleIsOffAndNoTokenMatches() {
        for (String unset : new String[] {null, "", "   "}) {
            ConsoleAuth auth = new ConsoleAuth(unset, sessions());
            assertThat(auth.enabled()).isFalse();
            assertThat(auth.tokenMatches("")).isFalse();
            assertThat(auth.tokenMatches(null)).isFalse();
        }
    }

    @Test
    void onlyTheAdminTokenMatchesIgnoringSurroundingBlanks() {
        ConsoleAuth auth = new ConsoleAuth("s3cret-admin", sessions());
        assertThat(auth.enabled()).isTrue();
        assertThat(auth.tokenMatches("s3cret-admin")).isTrue();
        assertThat(auth.tokenMatches(" s3cret-admin\n")).isTrue();
        assertThat(auth.tokenMatches("s3cret-admin2")).isFalse();
        assertThat(auth.tokenMatches("s3cret")).isFalse();
        assertThat(auth.tokenMatches("Bearer s3cret-admin")).isFalse();
        assertThat(auth.tokenMatches(null)).isFalse();
    }
}

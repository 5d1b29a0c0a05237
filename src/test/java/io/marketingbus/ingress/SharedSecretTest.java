package io.marketingbus.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedSecretTest {

    private final SharedSecret secret = new SharedSecret("3b1f0c2e9a7d4e51");

    @Test
    void matchesOnlyTheExactSecret() {
        assertThat(secret.matches("3b1f0c2e9a7d4e51")).isTrue();
        assertThat(secret.matches("3b1f0c2e9a7d4e5")).isFalse();
        assertThat(secret.matches("3b1f0c2e9a7d4e511")).isFalse();
        assertThat(secret.matches("3B1F0C2E9A7D4E51")).isFalse();
        assertThat(secret.matches("")).isFalse();
        assertThat(secret.matches(null)).isFalse();
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThatThrownBy(() -> new SharedSecret(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}

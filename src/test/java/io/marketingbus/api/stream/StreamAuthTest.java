package io.marketingbus.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StreamAuthTest {

    @Test
    void theAdminTokenAndEachReadKeyOpenTheStream() {
        StreamAuth auth = StreamAuth.of("admin-1", List.of("read-a", " read-b ", ""));
        assertThat(auth.bearerMatches("Bearer admin-1")).isTrue();
        assertThat(auth.bearerMatches("Bearer read-a")).isTrue();
        assertThat(auth.bearerMatches("Bearer read-b")).isTrue();
        assertThat(auth.bearerMatches("Bearer read-c")).isFalse();
        assertThat(auth.bearerMatches("Bearer ")).isFalse();
        assertThat(auth.bearerMatches("read-a")).isFalse();
        assertThat(auth.bearerMatches(null)).isFalse();
    }

    @Test
    void offWithoutAnyTokenUnlessAnotherCheckIsAdded() {
        assertThat(StreamAuth.of(null, List.of()).enabled()).isFalse();
        assertThat(StreamAuth.of(" ", List.of(" ")).enabled()).isFalse();
        assertThat(StreamAuth.of(null, List.of()).or(request -> false).enabled()).isTrue();
    }
}

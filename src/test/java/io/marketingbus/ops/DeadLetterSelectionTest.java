package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Which dead letters a replay takes: by time and by a piece of the reason, as written or as the console masks it. */
class DeadLetterSelectionTest {

    static ConsumerRecord<byte[], byte[]> letter(String reason) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("marketing.subscriptions.hubspot.dlq", 0, 0L,
                new byte[0], new byte[0]);
        record.headers().add("bus-dlq-reason", reason.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    static DeadLetterReplay.Selection reason(String reason) {
        return new DeadLetterReplay.Selection("marketing.subscriptions.hubspot.dlq", null, null, reason, true);
    }

    @Test
    void aReasonMatchesAsWrittenAndAsTheConsoleShowsItMasked() {
        ConsumerRecord<byte[], byte[]> letter = letter("HTTP 400: Property values were not valid: lucia.martin@example.com");

        assertThat(DeadLetterReplay.selected(letter, reason("http 400"))).isTrue();
        assertThat(DeadLetterReplay.selected(letter, reason("not valid: lucia.martin@example.com"))).isTrue();
        String shown = io.marketingbus.event.Identifiers.maskEmailsIn("Property values were not valid: lucia.martin@example.com");
        assertThat(shown).doesNotContain("lucia.martin@");
        assertThat(DeadLetterReplay.selected(letter, reason(shown))).as("the console's masked reason").isTrue();
        assertThat(DeadLetterReplay.selected(letter, reason("timeout"))).isFalse();
        assertThat(DeadLetterReplay.selected(letter, reason(null))).isTrue();
    }

    @Test
    void theTimeWindowIsHalfOpen() {
        ConsumerRecord<byte[], byte[]> letter = letter("HTTP 503");
        Instant at = Instant.ofEpochMilli(letter.timestamp());
        assertThat(DeadLetterReplay.selected(letter, new DeadLetterReplay.Selection("d.dlq", at, at.plusSeconds(1), null, true))).isTrue();
        assertThat(DeadLetterReplay.selected(letter, new DeadLetterReplay.Selection("d.dlq", null, at, null, true))).isFalse();
    }
}

package io.marketingbus.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.Identifiers;
import org.junit.jupiter.api.Test;

class StreamFramesTest {

    final ObjectMapper mapper = new ObjectMapper();
    final StreamFrames frames = new StreamFrames(mapper);

    @Test
    void anEventsEmailsAndPhonesAreMasked() {
        String event = """
                {"specversion":"1.0","id":"mc-1","source":"/mailchimp","type":"marketing.contact.subscribed",
                 "subject":"lucia.martin@example.com","time":"2026-01-15T09:31:07Z",
                 "data":{"contact":{"email":"lucia.martin@example.com","phone":"+34 600 11 22 33",
                 "firstName":"Lucía","note":"write to lucia.martin@example.com"},"phones":["+44 7700 900123"]}}""";

        JsonNode frame = frames.event("marketing.subscriptions", event.getBytes(StandardCharsets.UTF_8));

        assertThat(frame.get("kind").asText()).isEqualTo("event");
        assertThat(frame.get("id").asText()).isEqualTo("mc-1");
        assertThat(frame.get("topic").asText()).isEqualTo("marketing.subscriptions");
        assertThat(frame.at("/data/contact/email").asText()).isEqualTo("l***@example.com");
        assertThat(frame.at("/data/contact/phone").asText()).isEqualTo("+34*******33");
        assertThat(frame.at("/data/phones/0").asText()).isEqualTo("+44********23");
        assertThat(frame.at("/data/contact/firstName").asText()).isEqualTo("Lucía");
        assertThat(frame.toString()).doesNotContain("lucia.martin@").doesNotContain("600 11").doesNotContain("600112233");
    }

    @Test
    void recordsBecomeOutcomesAndSkippedIsFiltered() {
        JsonNode skipped = frames.outcome(mapper.createObjectNode().put("eventId", "e1").put("type", "t")
                .put("source", "/s").put("stage", "hubspot").put("outcome", "skipped").put("reason", "rule")
                .put("at", "2026-01-01T00:00:00Z"));
        assertThat(skipped.get("outcome").asText()).isEqualTo("filtered");
        assertThat(skipped.get("stage").asText()).isEqualTo("hubspot");

        JsonNode retried = frames.outcome(mapper.createObjectNode().put("eventId", "e1").put("stage", "hubspot")
                .put("outcome", "retried").put("attempt", 2).put("httpStatus", 503)
                .put("reason", "ana@example.com at +34600112233 refused"));
        assertThat(retried.get("attempt").asInt()).isEqualTo(2);
        assertThat(retried.get("httpStatus").asInt()).isEqualTo(503);
        assertThat(retried.get("reason").asText()).isEqualTo("a***@example.com at +34*******33 refused");

        assertThat(frames.outcome(mapper.createObjectNode().put("eventId", "e1").put("outcome", "unheard-of"))).isNull();
    }

    @Test
    void phonesInTextAreMaskedButDatesAndStatusesAreNot() {
        assertThat(Identifiers.maskPhonesIn("HTTP 400 at 2026-01-15T09:31:07Z for 34600112233"))
                .isEqualTo("HTTP 400 at 2026-01-15T09:31:07Z for 34*******33");
        assertThat(Identifiers.maskPhone("600")).isEqualTo("***");
    }
}

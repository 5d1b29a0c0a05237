package io.marketingbus.platform.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;
import io.marketingbus.support.MovableClock;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** The Slack sandbox is as strict as Slack's docs (docs/platforms/slack.md §2–§5). */
class SlackSandboxTest {

    static final String TOKEN = "xoxb-test-0123456789";
    final MovableClock clock = new MovableClock("2026-01-01T00:00:00Z");
    final SlackSandbox slack = new SlackSandbox(TOKEN, Set.of("C0123456789"), clock);
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theSampleIsPostedAndReadable() throws Exception {
        JsonNode answer = answer(post("Bearer " + TOKEN, Samples.text("slack-chat-postmessage-request.json")), 200);

        JsonNode expected = Samples.json("slack-chat-postmessage-response.json");
        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(answer.get("channel")).isEqualTo(expected.get("channel"));
        assertThat(answer.at("/message/text")).isEqualTo(expected.at("/message/text"));
        assertThat(answer.at("/message/subtype")).isEqualTo(expected.at("/message/subtype"));
        JsonNode posted = slack.state("messages").get(0);
        assertThat(posted.get("channel").asText()).isEqualTo("C0123456789");
        assertThat(posted.get("blocks")).isEqualTo(Samples.json("slack-chat-postmessage-request.json").get("blocks"));
    }

    @Test
    void aFormBodyAsTheSlackSdkSendsIsTakenToo() throws Exception {
        String form = "channel=C0123456789&text=" + java.net.URLEncoder.encode("Hello & bye", StandardCharsets.UTF_8)
                + "&blocks=" + java.net.URLEncoder.encode("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi\"}}]",
                StandardCharsets.UTF_8);
        SandboxResponse response = slack.handle(new SandboxRequest("POST", "/api/chat.postMessage", Map.of(),
                Map.of("authorization", "Bearer " + TOKEN, "content-type", "application/x-www-form-urlencoded"),
                form.getBytes(StandardCharsets.UTF_8)));

        assertThat(answer(response, 200).get("ok").asBoolean()).isTrue();
        assertThat(slack.state("messages").get(0).get("text").asText()).isEqualTo("Hello & bye");
    }

    @Test
    void refusalsAreOkFalseWithSlacksErrorCode() throws Exception {
        String sample = Samples.text("slack-chat-postmessage-request.json");
        assertThat(error(post(null, sample))).isEqualTo("not_authed");
        assertThat(error(post("Bearer xoxb-wrong", sample))).isEqualTo("invalid_auth");
        assertThat(error(post("Bearer " + TOKEN, sample.replace("C0123456789", "C0NOTHERE")))).isEqualTo("channel_not_found");
        ObjectNode noText = (ObjectNode) mapper.readTree(sample);
        noText.remove("text");
        assertThat(error(post("Bearer " + TOKEN, noText.toString()))).as("the text fallback is required").isEqualTo("no_text");
        ObjectNode tooMany = (ObjectNode) mapper.readTree(sample);
        ArrayNode blocks = tooMany.putArray("blocks");
        for (int i = 0; i < 51; i++) {
            blocks.addObject().put("type", "divider");
        }
        assertThat(error(post("Bearer " + TOKEN, tooMany.toString()))).isEqualTo("invalid_blocks");
        blocks.remove(50);
        assertThat(answer(post("Bearer " + TOKEN, tooMany.toString()), 200).get("ok").asBoolean()).as("50 blocks").isTrue();
        ObjectNode unknownBlock = (ObjectNode) mapper.readTree(sample);
        ((ObjectNode) unknownBlock.get("blocks").get(0)).put("type", "banner");
        clock.advance(Duration.ofSeconds(2));
        assertThat(error(post("Bearer " + TOKEN, unknownBlock.toString()))).isEqualTo("invalid_blocks");
        assertThat(slack.state("messages")).hasSize(1);
    }

    @Test
    void moreThanOneMessageASecondInAChannelIs429WithRetryAfter() throws Exception {
        String sample = Samples.text("slack-chat-postmessage-request.json");
        assertThat(post("Bearer " + TOKEN, sample).status()).isEqualTo(200);

        SandboxResponse second = post("Bearer " + TOKEN, sample);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers()).containsEntry("Retry-After", "1");
        clock.advance(Duration.ofMillis(999));
        assertThat(post("Bearer " + TOKEN, sample).status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(post("Bearer " + TOKEN, sample).status()).isEqualTo(200);
        assertThat(slack.state("throttled").get("count").asInt()).isEqualTo(2);
        assertThat(slack.state("messages")).hasSize(2);
    }

    SandboxResponse post(String authorization, String body) {
        Map<String, String> headers = authorization == null ? Map.of("content-type", "application/json; charset=utf-8")
                : Map.of("content-type", "application/json; charset=utf-8", "authorization", authorization);
        return slack.handle(new SandboxRequest("POST", "/api/chat.postMessage", Map.of(), headers,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    JsonNode answer(SandboxResponse response, int status) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        return mapper.readTree(response.body());
    }

    String error(SandboxResponse response) throws Exception {
        JsonNode answer = answer(response, 200);
        assertThat(answer.get("ok").asBoolean()).isFalse();
        return answer.get("error").asText();
    }

}

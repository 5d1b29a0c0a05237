package io.marketingbus.platform.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** The sandbox is as strict as the Cloud API: token, path, body, template, recipient, Graph's error shape. */
class WhatsAppSandboxTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    final WhatsAppSandbox sandbox = new WhatsAppSandbox("token", "106540352242922", Set.of("loyalty_welcome"), Set.of());

    static SandboxRequest post(String path, String token, String body) {
        return new SandboxRequest("POST", path, Map.of(), token == null ? Map.of("content-type", "application/json")
                : Map.of("authorization", "Bearer " + token, "content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(SandboxResponse response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    @Test
    void theSampleRequestIsAnsweredInTheSampleResponsesShape() throws Exception {
        SandboxResponse ok = sandbox.handle(post("/v25.0/106540352242922/messages", "token",
                Samples.text("whatsapp-template-message-request.json")));
        assertThat(ok.status()).isEqualTo(200);
        JsonNode sample = Samples.json("whatsapp-template-message-response.json");
        ObjectNode answer = (ObjectNode) json(ok);
        assertThat(answer.at("/messages/0/id").asText()).startsWith("wamid.");
        ((ObjectNode) answer.at("/messages/0")).put("id", sample.at("/messages/0/id").asText());
        assertThat(answer).isEqualTo(sample);
        assertThat(sandbox.state("messages")).hasSize(1);
    }

    @Test
    void overTheNumbersThroughputTheAnswerIs130429() throws Exception {
        java.time.Clock frozen = java.time.Clock.fixed(java.time.Instant.parse("2026-01-05T08:00:00Z"), java.time.ZoneOffset.UTC);
        WhatsAppSandbox slow = new WhatsAppSandbox("token", "106540352242922", Set.of("loyalty_welcome"), Set.of(), 2, frozen);
        String sample = Samples.text("whatsapp-template-message-request.json");
        assertThat(slow.handle(post("/v25.0/106540352242922/messages", "token", sample)).status()).isEqualTo(200);
        assertThat(slow.handle(post("/v25.0/106540352242922/messages", "token", sample)).status()).isEqualTo(200);
        SandboxResponse limited = slow.handle(post("/v25.0/106540352242922/messages", "token", sample));
        assertThat(json(limited).at("/error/code").asInt()).isEqualTo(130429);
        assertThat(io.marketingbus.delivery.DeliveryRetryPolicy.isRateLimited(WhatsAppConnector.failure(
                new org.apache.camel.RuntimeCamelException("x responded: " + limited.status() + " and body: "
                        + new String(limited.body(), StandardCharsets.UTF_8))))).isTrue();
        assertThat(slow.state("messages")).hasSize(2);
    }

    @Test
    void refusalsComeInGraphsErrorShape() throws Exception {
        String sample = Samples.text("whatsapp-template-message-request.json");
        assertThat(json(sandbox.handle(post("/v25.0/106540352242922/messages", "wrong", sample))).at("/error/code").asInt())
                .isEqualTo(190);
        assertThat(json(sandbox.handle(post("/v25.0/999/messages", "token", sample))).at("/error/code").asInt()).isEqualTo(100);
        assertThat(json(sandbox.handle(post("/v25.0/106540352242922/messages", "token",
                sample.replace("\"whatsapp\"", "\"sms\"")))).at("/error/code").asInt()).isEqualTo(100);
        assertThat(json(sandbox.handle(post("/v25.0/106540352242922/messages", "token",
                sample.replace("loyalty_welcome", "not_approved")))).at("/error/code").asInt()).isEqualTo(132001);
        assertThat(json(sandbox.handle(post("/v25.0/106540352242922/messages", "token",
                sample.replace("\"WELCOME10\"", "\"\"")))).at("/error/code").asInt()).isEqualTo(131008);
        WhatsAppSandbox testNumber = new WhatsAppSandbox("token", "106540352242922", Set.of("loyalty_welcome"),
                Set.of("34699999999"));
        SandboxResponse notAllowed = testNumber.handle(post("/v25.0/106540352242922/messages", "token", sample));
        assertThat(notAllowed.status()).isEqualTo(400);
        assertThat(json(notAllowed).at("/error/code").asInt()).isEqualTo(131030);
        assertThat(json(notAllowed).at("/error/fbtrace_id").isTextual()).isTrue();
        assertThat(sandbox.state("messages")).isEmpty();
    }
}

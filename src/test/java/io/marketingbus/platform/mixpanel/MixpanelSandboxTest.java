package io.marketingbus.platform.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class MixpanelSandboxTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("sa.user:sa-secret".getBytes(StandardCharsets.UTF_8));
    /** 2026-01-05T08:30:00Z, half an hour after the sample's purchase. */
    final MixpanelSandbox sandbox = new MixpanelSandbox("sa.user", "sa-secret", "2195193", "mp-token",
            Clock.fixed(Instant.parse("2026-01-05T08:30:00Z"), ZoneOffset.UTC));

    SandboxResponse importCall(String query, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new HashMap<>(Map.of("authorization", BASIC, "content-type", "application/json"));
        all.putAll(headers);
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                params.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return sandbox.handle(new SandboxRequest("POST", "/import", params, all, body));
    }

    static JsonNode json(SandboxResponse response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    static byte[] gzip(byte[] body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    byte[] sample() {
        return Samples.text("mixpanel-import-request.json").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleIsImportedGzippedOrNotAndCountedOnceWhenSentAgain() throws Exception {
        SandboxResponse first = importCall("strict=1&project_id=2195193", Map.of("content-encoding", "gzip"), gzip(sample()));
        SandboxResponse again = importCall("strict=1&project_id=2195193", Map.of(), sample());

        assertThat(first.status()).isEqualTo(200);
        assertThat(json(first)).isEqualTo(MAPPER.readTree("{\"code\":200,\"num_records_imported\":1,\"status\":\"OK\"}"));
        assertThat(again.status()).isEqualTo(200);
        JsonNode counts = sandbox.state("counts");
        assertThat(counts.get("events").asInt()).isEqualTo(1);
        assertThat(counts.get("duplicates").asInt()).isEqualTo(1);
        assertThat(counts.get("gzipped").asInt()).isEqualTo(1);
        assertThat(sandbox.state("events").at("/0/properties/$insert_id").asText()).isEqualTo("order-T-100234");
    }

    @Test
    void credentialsProjectAndGzipAreChecked() throws Exception {
        assertThat(importCall("strict=1&project_id=2195193", Map.of("authorization", "Basic eDp5"), sample()).status())
                .isEqualTo(401);
        SandboxResponse noProject = importCall("strict=1", Map.of(), sample());
        assertThat(noProject.status()).isEqualTo(401);
        assertThat(json(noProject).get("error").asText()).contains("project_id");
        assertThat(importCall("strict=1&project_id=999", Map.of(), sample()).status()).isEqualTo(403);
        assertThat(importCall("strict=1&project_id=2195193", Map.of("content-encoding", "gzip"), sample()).status())
                .isEqualTo(400);
        assertThat(sandbox.state("counts").get("events").asInt()).isZero();
    }

    @Test
    void strictModeRefusesBadRecordsByIndexAndImportsTheRest() throws Exception {
        ArrayNode events = (ArrayNode) Samples.json("mixpanel-import-request.json").deepCopy();
        ObjectNode future = events.addObject().put("event", "page_view");
        future.putObject("properties").put("time", Instant.parse("2026-01-05T10:00:00Z").toEpochMilli())
                .put("distinct_id", "hs-contact-51").put("$insert_id", "future-1");
        ObjectNode badId = events.addObject().put("event", "page_view");
        badId.putObject("properties").put("time", 1767600000).put("distinct_id", "hs-contact-51")
                .put("$insert_id", "not_valid_because_of_underscores");
        ObjectNode noTime = events.addObject().put("event", "page_view");
        noTime.putObject("properties").put("distinct_id", "hs-contact-51").put("$insert_id", "no-time");
        ObjectNode fine = events.addObject().put("event", "page_view");
        fine.putObject("properties").put("time", 1767600000).put("distinct_id", "hs-contact-51").put("$insert_id", "fine-1");

        SandboxResponse response = importCall("strict=1&project_id=2195193", Map.of(), MAPPER.writeValueAsBytes(events));

        assertThat(response.status()).isEqualTo(400);
        JsonNode answer = json(response);
        assertThat(answer.get("code").asInt()).isEqualTo(400);
        assertThat(answer.get("status").asText()).isEqualTo("Bad Request");
        assertThat(answer.get("error").asText()).isEqualTo("some data points in the request failed validation");
        assertThat(answer.get("num_records_imported").asInt()).isEqualTo(2);
        assertThat(answer.get("failed_records")).extracting(r -> r.get("index").asInt()).containsExactly(1, 2, 3);
        assertThat(answer.at("/failed_records/0/$insert_id").asText()).isEqualTo("future-1");
        assertThat(answer.at("/failed_records/0/field").asText()).isEqualTo("properties.time");
        assertThat(answer.at("/failed_records/1/field").asText()).isEqualTo("properties.$insert_id");
        assertThat(sandbox.state("events")).hasSize(2);
    }

    @Test
    void moreThanTwoThousandEventsAreRefusedAsAWhole() throws Exception {
        ArrayNode events = MAPPER.createArrayNode();
        for (int i = 0; i < 2001; i++) {
            events.addObject().put("event", "e").putObject("properties").put("time", 1767600000)
                    .put("distinct_id", "d").put("$insert_id", "i" + i);
        }
        assertThat(importCall("strict=1&project_id=2195193", Map.of(), MAPPER.writeValueAsBytes(events)).status())
                .isEqualTo(400);
        assertThat(sandbox.state("counts").get("events").asInt()).isZero();
    }

    @Test
    void engageNeedsTheTokenAndAnswersItsStatusInTheBody() throws Exception {
        String update = "[{\"$token\":\"mp-token\",\"$distinct_id\":\"hs-contact-51\",\"$set\":{\"$first_name\":\"Lucia\"}}]";
        SandboxResponse ok = sandbox.handle(new SandboxRequest("POST", "/engage", Map.of("verbose", "1"),
                Map.of("content-type", "application/json"), update.getBytes(StandardCharsets.UTF_8)));
        SandboxResponse wrongToken = sandbox.handle(new SandboxRequest("POST", "/engage", Map.of("verbose", "1"),
                Map.of("content-type", "application/json"), update.replace("mp-token", "other").getBytes(StandardCharsets.UTF_8)));

        assertThat(json(ok)).isEqualTo(MAPPER.readTree("{\"status\":1,\"error\":null}"));
        assertThat(wrongToken.status()).isEqualTo(200);
        assertThat(json(wrongToken).get("status").asInt()).isZero();
        assertThat(sandbox.state("profiles").at("/0/$properties/$first_name").asText()).isEqualTo("Lucia");
    }
}

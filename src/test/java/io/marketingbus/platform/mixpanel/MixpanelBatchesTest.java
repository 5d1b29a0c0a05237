package io.marketingbus.platform.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.platform.CredentialsRejectedException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class MixpanelBatchesTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    final MixpanelBatches rule = new MixpanelBatches();
    final List<PlatformRequest> calls = new ArrayList<>();

    static PlatformRequest events(String... insertIds) {
        ArrayNode events = MAPPER.createArrayNode();
        for (String id : insertIds) {
            events.addObject().put("event", "page_view").putObject("properties").put("time", 1767600000000L)
                    .put("distinct_id", "hs-contact-51").put("$insert_id", id);
        }
        return new PlatformRequest("POST", "/import", "strict=1&project_id=1", events);
    }

    static HttpOperationFailedException answer(int status, String body) {
        return new HttpOperationFailedException("https://api.mixpanel.com/import", status, "", null, Map.of(), body);
    }

    @Test
    void aStrictModeFourHundredFailsOnlyThePartsWhoseRecordsMixpanelNames() throws Exception {
        List<PlatformRequest> parts = List.of(events("a1"), events("b1", "b2"), events("c1"));
        String refusal = "{\"code\":400,\"error\":\"some data points in the request failed validation\","
                + "\"failed_records\":[{\"index\":2,\"$insert_id\":\"b2\",\"field\":\"properties.time\","
                + "\"message\":\"'properties.time' is invalid\"}],\"num_records_imported\":3,\"status\":\"Bad Request\"}";

        List<RuntimeException> outcome = rule.send(parts, request -> {
            calls.add(request);
            throw answer(400, refusal);
        });

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).body()).hasSize(4);
        assertThat(outcome.get(0)).isNull();
        assertThat(outcome.get(2)).isNull();
        assertThat(outcome.get(1)).isInstanceOf(PlatformRejectedException.class)
                .hasMessageContaining("b2").hasMessageContaining("properties.time");
    }

    @Test
    void aFourHundredThatNamesNoRecordFailsTheCallSoItIsSplit() {
        assertThatThrownBy(() -> rule.send(List.of(events("a"), events("b")), request -> {
            throw answer(400, "{\"code\":400,\"error\":\"unable to parse the body\",\"status\":\"Bad Request\"}");
        })).isInstanceOf(HttpOperationFailedException.class);
    }

    @Test
    void refusedCredentialsHoldTheEventsInsteadOfFailingThem() {
        assertThatThrownBy(() -> rule.send(List.of(events("a")), request -> {
            throw answer(401, "{\"code\":401,\"error\":\"Invalid credentials\",\"status\":\"Unauthorized\"}");
        })).isInstanceOf(CredentialsRejectedException.class).hasMessageContaining("mixpanel.service-account")
                .hasMessageContaining("Invalid credentials");
        assertThatThrownBy(() -> rule.send(List.of(events("a")), request -> {
            throw answer(403, "{\"code\":403,\"error\":\"no access\",\"status\":\"Forbidden\"}");
        })).isInstanceOf(CredentialsRejectedException.class);
    }

    @Test
    void twoThousandAndOneEventsGoInTwoCallsAndTheRuleSaysTwoThousand() throws Exception {
        assertThat(rule.limit()).isEqualTo(2000);
        List<PlatformRequest> parts = new ArrayList<>();
        for (int i = 0; i < 2001; i++) {
            parts.add(events("e" + i));
        }

        List<RuntimeException> outcome = rule.send(parts, request -> {
            calls.add(request);
            return MAPPER.createObjectNode().put("code", 200);
        });

        assertThat(calls).extracting(c -> c.body().size()).containsExactly(2000, 1);
        assertThat(outcome).hasSize(2001).containsOnlyNulls();
    }

    @Test
    void callsStayUnderTheByteLimit() throws Exception {
        int oneEvent = MAPPER.writeValueAsBytes(events("x0").body()).length;
        MixpanelBatches small = new MixpanelBatches(oneEvent * 3);
        List<PlatformRequest> parts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            parts.add(events("x" + i));
        }

        small.send(parts, request -> {
            calls.add(request);
            return MAPPER.createObjectNode();
        });

        assertThat(calls).extracting(c -> c.body().size()).containsExactly(2, 2, 2, 1);
        for (PlatformRequest call : calls) {
            assertThat(MAPPER.writeValueAsBytes(call.body()).length).isLessThanOrEqualTo(oneEvent * 3);
        }
    }

    @Test
    void takesImportAndEngageArraysOfItsConnectorOnly() {
        JsonNode array = MAPPER.createArrayNode();
        assertThat(rule.takes("direct:mixpanel-api", events("a"))).isTrue();
        assertThat(rule.takes("direct:mixpanel-api", new PlatformRequest("POST", "/engage", "verbose=1", array))).isTrue();
        assertThat(rule.takes("direct:hubspot-crm", events("a"))).isFalse();
        assertThat(rule.group(events("a"))).isNotEqualTo(rule.group(new PlatformRequest("POST", "/engage", "verbose=1", array)));
    }
}

package io.marketingbus.platform.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import org.junit.jupiter.api.Test;

/** Merging contact upserts into one HubSpot batch call, and reading a 207 Multi-Status back per event. */
class HubSpotBatchUpsertTest {

    final HubSpotBatchUpsert rule = new HubSpotBatchUpsert();

    static PlatformRequest upsert(String email, String trace) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("inputs").addObject().put("idProperty", "email").put("id", email).put("objectWriteTraceId", trace)
                .putObject("properties").put("email", email);
        return new PlatformRequest("POST", "/crm/v3/objects/contacts/batch/upsert", null, body);
    }

    @Test
    void upsertsMergeIntoOneDocumentedBatchOfAtMost100() throws Exception {
        List<JsonNode> sent = new ArrayList<>();
        List<PlatformRequest> parts = List.of(upsert("a@example.com", "t-a"), upsert("b@example.com", "t-b"));

        List<RuntimeException> outcome = rule.send(parts, r -> {
            sent.add(r.body());
            return JsonNodeFactory.instance.objectNode().put("status", "COMPLETE");
        });

        assertThat(rule.limit()).isEqualTo(100);
        assertThat(rule.takes("direct:hubspot-crm", parts.get(0))).isTrue();
        assertThat(rule.takes("direct:hubspot-crm", new PlatformRequest("PATCH", "/crm/v3/objects/contacts/x", null, null)))
                .isFalse();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("inputs")).extracting(i -> i.get("id").asText())
                .containsExactly("a@example.com", "b@example.com");
        assertThat(outcome).containsExactly(null, null);
    }

    @Test
    void a207FailsOnlyTheInputsItNames() throws Exception {
        List<PlatformRequest> parts = List.of(upsert("a@example.com", "t-a"), upsert("B@example.com", "t-b"),
                upsert("c@example.com", "t-c"));
        String multiStatus = "{\"status\":\"COMPLETE\",\"results\":[],\"numErrors\":2,\"errors\":["
                + "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values were not valid\","
                + "\"context\":{\"ids\":[\"b@example.com\"]}},"
                + "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"bad phone\",\"objectWriteTraceId\":\"t-c\"}]}";

        List<RuntimeException> outcome = rule.send(parts, r -> {
            throw new PlatformRejectedException("hubspot", 207, "partial", multiStatus);
        });

        assertThat(outcome.get(0)).isNull();
        assertThat(outcome.get(1)).isInstanceOf(PlatformRejectedException.class).hasMessageContaining("not valid");
        assertThat(outcome.get(2)).isInstanceOf(PlatformRejectedException.class);
    }

    @Test
    void anErrorThatNamesNoInputFailsTheCallSoItIsSplit() {
        String multiStatus = "{\"status\":\"COMPLETE\",\"errors\":[{\"category\":\"VALIDATION_ERROR\",\"message\":\"?\"}]}";

        assertThatThrownBy(() -> rule.send(List.of(upsert("a@example.com", "t-a")), r -> {
            throw new PlatformRejectedException("hubspot", 207, "partial", multiStatus);
        })).isInstanceOf(PlatformRejectedException.class);
        assertThatThrownBy(() -> rule.send(List.of(upsert("a@example.com", "t-a")), r -> {
            throw new PlatformRejectedException("hubspot", 400, "bad", "{}");
        })).isInstanceOf(PlatformRejectedException.class);
    }
}

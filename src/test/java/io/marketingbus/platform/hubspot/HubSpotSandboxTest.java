package io.marketingbus.platform.hubspot;

import io.marketingbus.sandbox.SandboxFaults;
import io.marketingbus.sandbox.SandboxRequest;
import io.marketingbus.sandbox.SandboxResponse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class HubSpotSandboxTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final HubSpotSandbox hubspot = new HubSpotSandbox("token-1", Set.of("mailchimp_status"));

    private SandboxResponse call(String method, String path, Map<String, String> query, String auth, String body) {
        Map<String, String> headers = new HashMap<>();
        if (auth != null) {
            headers.put("authorization", auth);
        }
        headers.put("content-type", "application/json");
        return hubspot.handle(new SandboxRequest(method, path, query, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
    }

    private SandboxResponse upsert(String body) {
        return call("POST", "/crm/v3/objects/contacts/batch/upsert", Map.of(), "Bearer token-1", body);
    }

    private JsonNode json(SandboxResponse response) throws Exception {
        return mapper.readTree(response.body());
    }

    @Test
    void theDocumentedSampleRequestCreatesTheContactOnceAndThenUpdatesIt() throws Exception {
        String sample = Samples.text("hubspot-contacts-batch-upsert-request.json");

        SandboxResponse first = upsert(sample);
        SandboxResponse second = upsert(sample);

        assertThat(first.status()).isEqualTo(200);
        assertThat(json(first).at("/results/0/new").asBoolean()).isTrue();
        assertThat(json(first).get("status").asText()).isEqualTo("COMPLETE");
        assertThat(json(second).at("/results/0/new").asBoolean()).isFalse();
        assertThat(json(second).at("/results/0/id")).isEqualTo(json(first).at("/results/0/id"));
        assertThat(hubspot.state("contacts").get("total").asInt()).isEqualTo(1);
        assertThat(hubspot.state("contacts").at("/results/0/properties/lifecyclestage").asText()).isEqualTo("subscriber");
    }

    @Test
    void refusesCallsWithoutTheBearerToken() {
        String sample = Samples.text("hubspot-contacts-batch-upsert-request.json");

        assertThat(call("POST", "/crm/v3/objects/contacts/batch/upsert", Map.of(), null, sample).status()).isEqualTo(401);
        assertThat(call("POST", "/crm/v3/objects/contacts/batch/upsert", Map.of(), "Bearer other", sample).status())
                .isEqualTo(401);
        assertThat(hubspot.state("contacts").get("total").asInt()).isZero();
    }

    @Test
    void refusesUnknownPropertiesAndEnumerationValues() throws Exception {
        SandboxResponse unknown = upsert("{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"a@b.co\","
                + "\"properties\":{\"email\":\"a@b.co\",\"favourite_colour\":\"red\"}}]}");
        SandboxResponse badStage = upsert("{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"a@b.co\","
                + "\"properties\":{\"lifecyclestage\":\"fan\"}}]}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(json(unknown).get("message").asText()).contains("favourite_colour");
        assertThat(badStage.status()).isEqualTo(400);
    }

    @Test
    void refusesMoreThanOneHundredInputs() {
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i <= HubSpotSandbox.BATCH_LIMIT; i++) {
            inputs.append(i == 0 ? "" : ",").append("{\"idProperty\":\"email\",\"id\":\"c").append(i)
                    .append("@b.co\",\"properties\":{}}");
        }

        assertThat(upsert("{\"inputs\":[" + inputs + "]}").status()).isEqualTo(400);
    }

    @Test
    void patchByEmailChangesTheAddressAndRefusesUnknownOrTakenOnes() throws Exception {
        upsert("{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"old@b.co\",\"properties\":{\"email\":\"old@b.co\"}}]}");
        upsert("{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"taken@b.co\",\"properties\":{\"email\":\"taken@b.co\"}}]}");

        SandboxResponse conflict = call("PATCH", "/crm/v3/objects/contacts/old%40b.co", Map.of("idProperty", "email"),
                "Bearer token-1", "{\"properties\":{\"email\":\"taken@b.co\"}}");
        SandboxResponse moved = call("PATCH", "/crm/v3/objects/contacts/old%40b.co", Map.of("idProperty", "email"),
                "Bearer token-1", "{\"properties\":{\"email\":\"new@b.co\"}}");
        SandboxResponse missing = call("PATCH", "/crm/v3/objects/contacts/nobody%40b.co", Map.of("idProperty", "email"),
                "Bearer token-1", "{\"properties\":{\"email\":\"x@b.co\"}}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(moved.status()).isEqualTo(200);
        assertThat(json(moved).at("/properties/email").asText()).isEqualTo("new@b.co");
        assertThat(call("GET", "/crm/v3/objects/contacts/new%40b.co", Map.of("idProperty", "email"), "Bearer token-1",
                null).status()).isEqualTo(200);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void faultsAnswerTheInjectedStatusTheRequestedNumberOfTimes() throws Exception {
        SandboxFaults faults = new SandboxFaults();
        faults.set("hubspot", mapper.readTree("{\"status\":429,\"times\":2,\"retryAfterSeconds\":3}"));

        SandboxResponse first = faults.apply("hubspot");
        SandboxResponse second = faults.apply("hubspot");

        assertThat(first.status()).isEqualTo(429);
        assertThat(first.headers()).containsEntry("Retry-After", "3");
        assertThat(second.status()).isEqualTo(429);
        assertThat(faults.apply("hubspot")).isNull();
        assertThat(faults.apply("mailchimp")).isNull();
    }
}

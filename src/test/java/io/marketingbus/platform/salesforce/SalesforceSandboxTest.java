package io.marketingbus.platform.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox org answers as Salesforce documents: sessions, versioned paths, collections upsert limits, SOQL. */
class SalesforceSandboxTest {

    static final String V = "/services/data/v62.0";
    final ObjectMapper mapper = new ObjectMapper();
    final MovableClock clock = new MovableClock("2026-11-29T10:00:00Z");
    SalesforceSandbox sandbox;
    String token;

    @BeforeEach
    void org() throws Exception {
        sandbox = new SalesforceSandbox(new SalesforceSandbox.Credentials("client", "secret", "refresh", "", null),
                Map.of("Contact", Set.of("Email", "FirstName", "LastName", "HubSpot_Contact_Id__c"),
                        "Opportunity", Set.of("Name", "StageName", "Amount", "CloseDate"),
                        "OpportunityContactRole", Set.of("OpportunityId", "ContactId")),
                Map.of("Contact", Set.of("HubSpot_Contact_Id__c")), Duration.ofSeconds(60), 5, Duration.ofSeconds(10), 1, clock);
        sandbox.baseUrl("http://127.0.0.1:1/sandbox/salesforce");
        SandboxResponse granted = token("grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token=refresh");
        assertThat(granted.status()).isEqualTo(200);
        JsonNode answer = json(granted);
        assertThat(answer.get("instance_url").asText()).isEqualTo("http://127.0.0.1:1/sandbox/salesforce");
        assertThat(answer.get("id").asText()).contains("/id/00D");
        token = answer.get("access_token").asText();
    }

    SandboxResponse token(String form) {
        return sandbox.handle(new SandboxRequest("POST", "/services/oauth2/token", Map.of(),
                Map.of("content-type", "application/x-www-form-urlencoded"), form.getBytes(StandardCharsets.UTF_8)));
    }

    SandboxResponse call(String method, String path, Map<String, String> query, String body) {
        Map<String, String> headers = new HashMap<>(Map.of("authorization", "Bearer " + token, "content-type", "application/json"));
        return sandbox.handle(new SandboxRequest(method, path, query, headers, body == null ? new byte[0]
                : body.getBytes(StandardCharsets.UTF_8)));
    }

    JsonNode json(SandboxResponse response) throws Exception {
        return mapper.readTree(response.body());
    }

    @Test
    void theDocumentedSampleIsUpsertedAndAWrongRefreshTokenIsInvalidGrant() throws Exception {
        SandboxResponse response = call("PATCH", V + "/composite/sobjects/Contact/HubSpot_Contact_Id__c", Map.of(),
                Samples.text("salesforce-composite-upsert-request.json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("Sforce-Limit-Info")).isEqualTo("api-usage=1/5");
        assertThat(json(response).get(0).get("success").asBoolean()).isTrue();
        assertThat(json(response).get(0).get("created").asBoolean()).isTrue();
        assertThat(json(token("grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token=stolen"))
                .get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void expiredSessionsUnversionedPathsAndMoreThan200RecordsAreRefused() throws Exception {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode records = body.putArray("records");
        for (int i = 0; i < 201; i++) {
            records.addObject().put("HubSpot_Contact_Id__c", "k" + i).put("LastName", "L").putObject("attributes").put("type", "Contact");
        }
        SandboxResponse tooMany = call("PATCH", V + "/composite/sobjects/Contact/HubSpot_Contact_Id__c", Map.of(), body.toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(json(tooMany).get(0).get("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(call("PATCH", "/composite/sobjects/Contact/HubSpot_Contact_Id__c", Map.of(), "{}").status()).isEqualTo(404);
        assertThat(call("PATCH", V + "/composite/sobjects/Contact/HubSpot_Contact_Id__c", Map.of(), "[").status()).isEqualTo(400);
        assertThat(call("PATCH", V + "/composite/sobjects/Contact/Email", Map.of(),
                Samples.text("salesforce-composite-upsert-request.json")).status()).isEqualTo(400);

        clock.now = clock.now.plusSeconds(61);
        SandboxResponse expired = call("GET", V + "/query", Map.of("q", "SELECT Id FROM Contact"), null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(json(expired).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
    }

    @Test
    void overTheAllocationIsRequestLimitExceededUntilTheWindowMoves() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(call("GET", V + "/query", Map.of("q", "SELECT Id FROM Contact"), null).status()).isEqualTo(200);
        }
        SandboxResponse limited = call("GET", V + "/query", Map.of("q", "SELECT Id FROM Contact"), null);
        assertThat(limited.status()).isEqualTo(403);
        assertThat(json(limited).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(limited.headers().get("Sforce-Limit-Info")).isEqualTo("api-usage=5/5");
        clock.now = clock.now.plusSeconds(11);
        assertThat(call("GET", V + "/query", Map.of("q", "SELECT Id FROM Contact"), null).status()).isEqualTo(200);
    }

    @Test
    void aContactRoleMustNameAnExistingOpportunityAndContact() throws Exception {
        String contact = json(call("POST", V + "/sobjects/Contact", Map.of(), "{\"LastName\":\"Martin\"}")).get("id").asText();
        SandboxResponse dangling = call("POST", V + "/sobjects/OpportunityContactRole", Map.of(),
                "{\"OpportunityId\":\"006000000000099AAA\",\"ContactId\":\"" + contact + "\"}");

        assertThat(dangling.status()).isEqualTo(400);
        assertThat(json(dangling).at("/0/errorCode").asText()).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(json(dangling).at("/0/fields/0").asText()).isEqualTo("OpportunityId");
    }

    @Test
    void soqlWithAChildSubqueryPagesThroughNextRecordsUrlAndRefusesWhatItDoesNotKnow() throws Exception {
        String contact = json(call("POST", V + "/sobjects/Contact", Map.of(), "{\"LastName\":\"Martin\",\"Email\":\"lucia.martin@example.com\"}")).get("id").asText();
        for (String name : new String[] {"A", "B"}) {
            String opp = json(call("POST", V + "/sobjects/Opportunity", Map.of(), "{\"Name\":\"" + name
                    + "\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2026-12-31\",\"Amount\":5}")).get("id").asText();
            call("POST", V + "/sobjects/OpportunityContactRole", Map.of(), "{\"OpportunityId\":\"" + opp + "\",\"ContactId\":\"" + contact + "\"}");
        }
        // the org allows 5 calls per 10 s here
        clock.now = clock.now.plusSeconds(11);
        String soql = "SELECT Id, Name, (SELECT ContactId, Contact.Email FROM OpportunityContactRoles) FROM Opportunity "
                + "WHERE SystemModstamp >= 2026-11-29T09:00:00Z AND SystemModstamp < 2026-11-29T11:00:00Z ORDER BY SystemModstamp, Id";

        JsonNode first = json(call("GET", V + "/query", Map.of("q", soql), null));
        assertThat(first.has("totalSize")).as(first.toString()).isTrue();
        assertThat(first.get("totalSize").asInt()).isEqualTo(2);
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.at("/records/0/OpportunityContactRoles/records/0/Contact/Email").asText()).isEqualTo("lucia.martin@example.com");
        JsonNode second = json(call("GET", first.get("nextRecordsUrl").asText(), Map.of(), null));
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.at("/records/0/Name").asText()).isEqualTo("B");

        assertThat(json(call("GET", V + "/query", Map.of("q", "SELECT Id FROM Opportunity WHERE SystemModstamp >= 2026-11-29T09:00:00.000Z"), null))
                .get(0).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        assertThat(json(call("GET", V + "/query", Map.of("q", "SELECT Secret__c FROM Contact"), null))
                .get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(call("GET", V + "/query", Map.of("q", "DELETE FROM Contact"), null).status()).isEqualTo(400);
    }
}

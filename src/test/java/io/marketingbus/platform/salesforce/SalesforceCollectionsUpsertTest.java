package io.marketingbus.platform.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Subscription;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** The sObject Collections rule and the contact translator, on the vendor's sample shape. */
class SalesforceCollectionsUpsertTest {

    final ObjectMapper mapper = new ObjectMapper();
    final SalesforceCollectionsUpsert rule = new SalesforceCollectionsUpsert();
    final SalesforceContactTranslator contacts = new SalesforceContactTranslator("Contact", "HubSpot_Contact_Id__c", "", "", "");

    static CloudEvent event(String type, String email, String first, String last) {
        return CloudEvent.of("mc-" + email.hashCode(), "/mailchimp/lists/a6b5da1054", type, "2026-01-15T09:31:07Z",
                EventData.subscription(Contact.of(email, first, last, null, null),
                        new Subscription("mailchimp", "a6b5da1054", "11bd", "subscribed", null, null)));
    }

    @Test
    void aContactEventIsOneRecordOfTheDocumentedCollectionsUpsert() {
        PlatformRequest request = contacts.toUpsert(event(EventTypes.CONTACT_PROFILE_UPDATED, "lucia.martin@example.com", "Lucia", "Martin"));

        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.path()).isEqualTo("/composite/sobjects/Contact/HubSpot_Contact_Id__c");
        JsonNode expected = Samples.json("salesforce-composite-upsert-request.json").deepCopy();
        // the sample keys the record by a HubSpot id; the bus keys it by the e-mail in the external-id field
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.at("/records/0")).put("HubSpot_Contact_Id__c", "lucia.martin@example.com");
        assertThat(request.body()).isEqualTo(expected);
        assertThat(rule.takes("direct:salesforce-api", request)).isTrue();
        assertThat(rule.takes("direct:hubspot-crm", request)).isFalse();
        assertThat(rule.limit()).isEqualTo(200);
    }

    @Test
    void unsubscribedAndCleanedOptOutWithoutTouchingTheName() {
        PlatformRequest request = contacts.toUpsert(event(EventTypes.CONTACT_CLEANED, "gone@example.com", "Gone", "Away"));
        JsonNode record = request.body().at("/records/0");
        assertThat(record.get("HasOptedOutOfEmail").asBoolean()).isTrue();
        assertThat(record.has("LastName")).isFalse();
        assertThat(contacts.toUpsert(event(EventTypes.CONTACT_SUBSCRIBED, "new@example.com", "N", "E")).body()
                .at("/records/0/HasOptedOutOfEmail").asBoolean(true)).isFalse();
    }

    @Test
    void aRecordSalesforceDidNotApplyFailsOnlyItsEventWithSalesforcesError() throws Exception {
        List<PlatformRequest> parts = List.of(contacts.toUpsert(event(EventTypes.CONTACT_SUBSCRIBED, "a@example.com", "A", "A")),
                contacts.toUpsert(event(EventTypes.CONTACT_SUBSCRIBED, "b@example.com", "B", "B")),
                contacts.toUpsert(event(EventTypes.CONTACT_SUBSCRIBED, "c@example.com", "C", "C")));
        List<PlatformRequest> calls = new ArrayList<>();

        List<RuntimeException> outcome = rule.send(parts, request -> {
            calls.add(request);
            return mapper.readTree("[{\"id\":\"0030000001\",\"success\":true,\"errors\":[],\"created\":true},"
                    + "{\"success\":false,\"errors\":[{\"statusCode\":\"DUPLICATE_EXTERNAL_ID\",\"message\":\"more than one record\",\"fields\":[]}]},"
                    + "{\"id\":\"0030000003\",\"success\":true,\"errors\":[],\"created\":false}]");
        });

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).body().get("allOrNone").asBoolean()).isFalse();
        assertThat(calls.get(0).body().get("records")).hasSize(3);
        assertThat(outcome.get(0)).isNull();
        assertThat(outcome.get(1)).isInstanceOf(PlatformRejectedException.class).hasMessageContaining("DUPLICATE_EXTERNAL_ID");
        assertThat(outcome.get(2)).isNull();
    }

    @Test
    void twoChangesOfOnePersonGoInTwoCallsInTheirOrder() throws Exception {
        List<PlatformRequest> parts = List.of(contacts.toUpsert(event(EventTypes.CONTACT_SUBSCRIBED, "a@example.com", "A", "A")),
                contacts.toUpsert(event(EventTypes.CONTACT_SUBSCRIBED, "b@example.com", "B", "B")),
                contacts.toUpsert(event(EventTypes.CONTACT_UNSUBSCRIBED, "A@example.com", "A", "A")));
        List<JsonNode> calls = new ArrayList<>();

        List<RuntimeException> outcome = rule.send(parts, request -> {
            calls.add(request.body());
            ArrayNode results = mapper.createArrayNode();
            request.body().get("records").forEach(r -> results.addObject().put("success", true).putArray("errors"));
            return results;
        });

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).get("records")).extracting(r -> r.get("HubSpot_Contact_Id__c").asText())
                .containsExactly("a@example.com", "b@example.com");
        assertThat(calls.get(1).get("records")).extracting(r -> r.get("HubSpot_Contact_Id__c").asText())
                .containsExactly("A@example.com");
        assertThat(outcome).containsOnlyNulls().hasSize(3);
    }
}

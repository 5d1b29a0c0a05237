package io.marketingbus.platform.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventTypes;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** Opportunities as the poller's SOQL returns them, and CDC change events as the Pub/Sub API delivers them. */
class SalesforceOpportunityTranslatorTest {

    final ObjectMapper mapper = new ObjectMapper();
    final SalesforceOpportunityTranslator translator = new SalesforceOpportunityTranslator("Ads_Personalisation_Consent__c",
            "", "", "EUR");

    JsonNode opportunity(String created, String modified, String stage) throws Exception {
        return mapper.readTree("{\"attributes\":{\"type\":\"Opportunity\"},\"Id\":\"006Hs00001AbCdEIAV\",\"Name\":\"Acme renewal\","
                + "\"StageName\":\"" + stage + "\",\"Amount\":12500.0,\"CreatedDate\":\"" + created + "\",\"SystemModstamp\":\"" + modified + "\","
                + "\"OpportunityContactRoles\":{\"totalSize\":2,\"done\":true,\"records\":["
                + "{\"ContactId\":\"003Hs00000LuCiAIAV\",\"Contact\":{\"Email\":\" Lucia.Martin@example.com \",\"FirstName\":\"Lucia\","
                + "\"LastName\":\"Martin\",\"Phone\":\"+34 600 11 22 33\",\"MailingCountry\":\"Spain\",\"MailingPostalCode\":\"28001\","
                + "\"Ads_Personalisation_Consent__c\":true}},"
                + "{\"ContactId\":\"003Hs00000NoMaIlAV\",\"Contact\":{\"Email\":null,\"LastName\":\"Nobody\"}}]}}");
    }

    @Test
    void anUnchangedNewOpportunityIsCreatedForEachContactWithAnEmail() throws Exception {
        List<CloudEvent> events = translator.toOpportunities(opportunity("2026-11-29T10:00:00.000+0000",
                "2026-11-29T10:00:00.000+0000", "Prospecting"));

        assertThat(events).hasSize(1);
        CloudEvent event = events.get(0);
        assertThat(event.type()).isEqualTo(EventTypes.OPPORTUNITY_CREATED);
        assertThat(event.id()).isEqualTo("sf-opp-006Hs00001AbCdEIAV-created-c003Hs00000LuCiAIAV");
        assertThat(event.time()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(event.data().opportunity().platform()).isEqualTo("salesforce");
        assertThat(event.data().opportunity().amount()).isEqualByComparingTo(new BigDecimal("12500"));
        assertThat(event.data().opportunity().currency()).isEqualTo("EUR");
        assertThat(event.data().contact().email()).isEqualTo("lucia.martin@example.com");
        assertThat(event.data().contact().phone()).isEqualTo("+34600112233");
        assertThat(event.data().contact().country()).isEqualTo("ES");
        assertThat(event.data().contact().consent().adPersonalisation()).isTrue();
    }

    @Test
    void aChangeIsAnUpdateWhoseIdFollowsTheWatchedFieldsOnly() throws Exception {
        CloudEvent won = translator.toOpportunities(opportunity("2026-11-29T10:00:00.000+0000",
                "2026-11-29T11:00:00.000+0000", "Closed Won")).get(0);
        CloudEvent wonTouchedAgain = translator.toOpportunities(opportunity("2026-11-29T10:00:00.000+0000",
                "2026-11-29T12:00:00.000+0000", "Closed Won")).get(0);
        CloudEvent lost = translator.toOpportunities(opportunity("2026-11-29T10:00:00.000+0000",
                "2026-11-29T12:00:00.000+0000", "Closed Lost")).get(0);

        assertThat(won.type()).isEqualTo(EventTypes.OPPORTUNITY_UPDATED);
        assertThat(won.time()).isEqualTo("2026-11-29T11:00:00Z");
        assertThat(wonTouchedAgain.id()).isEqualTo(won.id());
        assertThat(lost.id()).isNotEqualTo(won.id()).startsWith("sf-opp-006Hs00001AbCdEIAV-").endsWith("-c003Hs00000LuCiAIAV");
    }

    @Test
    void theSoqlIsTheOneTheSandboxAndSalesforceTake() {
        String soql = translator.soql(java.time.Instant.parse("2026-11-29T10:00:00.123Z"), java.time.Instant.parse("2026-11-29T10:05:00Z"));
        assertThat(soql).isEqualTo("SELECT Id, Name, StageName, Amount, CreatedDate, SystemModstamp, (SELECT ContactId, "
                + "Contact.Email, Contact.FirstName, Contact.LastName, Contact.Phone, Contact.MailingCountry, "
                + "Contact.MailingPostalCode, Contact.Ads_Personalisation_Consent__c FROM OpportunityContactRoles) FROM "
                + "Opportunity WHERE SystemModstamp >= 2026-11-29T10:00:00Z AND SystemModstamp < 2026-11-29T10:05:00Z "
                + "ORDER BY SystemModstamp, Id");
    }

    @Test
    void aRecordedCdcChangeEventNamesTheOpportunitiesToReRead() {
        JsonNode change = Samples.json("salesforce-opportunity-change-event.json");
        assertThat(translator.changedOpportunities(change)).containsExactly("006Hs00001AbCdEIAV");

        ObjectNode descriptionOnly = change.deepCopy();
        ((ObjectNode) descriptionOnly.get("ChangeEventHeader")).putArray("changedFields").add("Description").add("LastModifiedDate");
        assertThat(translator.changedOpportunities(descriptionOnly)).isEmpty();

        ObjectNode deleted = change.deepCopy();
        ((ObjectNode) deleted.get("ChangeEventHeader")).put("changeType", "DELETE");
        assertThat(translator.changedOpportunities(deleted)).isEmpty();

        ObjectNode created = change.deepCopy();
        ((ObjectNode) created.get("ChangeEventHeader")).put("changeType", "CREATE").putArray("changedFields");
        assertThat(translator.changedOpportunities(created)).containsExactly("006Hs00001AbCdEIAV");
    }
}

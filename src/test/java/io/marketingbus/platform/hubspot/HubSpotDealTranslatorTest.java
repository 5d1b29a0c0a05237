package io.marketingbus.platform.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.EventTypes;
import io.marketingbus.support.Opportunities;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class HubSpotDealTranslatorTest {

    final HubSpotWebhookTranslator webhooks = new HubSpotWebhookTranslator(Set.of("dealstage", "amount", "pipeline"));
    final HubSpotDealTranslator deals = new HubSpotDealTranslator("ads_personalisation_consent", "EUR");
    final EventCodec codec = new EventCodec(new EventSchemas());

    @Test
    void aPolledDealIsNewWhenCreatedInTheWindowAndNotChangedSinceElseAnUpdateWithItsOwnId() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        long windowFrom = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        JsonNode fresh = mapper.readTree("""
                {"id":"18204751234","properties":{"createdate":"2026-01-01T00:00:10.123Z",
                 "hs_lastmodifieddate":"2026-01-01T00:00:12.004Z"}}""");
        // created in the overlap slice (seen as created by the last poll), its stage changed two minutes later
        JsonNode changedSince = mapper.readTree("""
                {"id":"18204751234","properties":{"createdate":"2026-01-01T00:00:10.123Z",
                 "hs_lastmodifieddate":"2026-01-01T00:02:10.000Z"}}""");

        CloudEvent created = deals.polledChange(fresh, windowFrom);
        CloudEvent updated = deals.polledChange(changedSince, windowFrom);

        assertThat(created.data().dealChange().change()).isEqualTo("created");
        assertThat(created.id()).isEqualTo("hs-deal-18204751234-created-1767225610123");
        assertThat(updated.data().dealChange().change()).isEqualTo("updated");
        assertThat(updated.id()).isEqualTo("hs-deal-18204751234-updated-1767225730000").isNotEqualTo(created.id());
        assertThat(deals.polledChange(changedSince, windowFrom + 60_000).data().dealChange().change())
                .as("created before the window").isEqualTo("updated");
    }

    @Test
    void theDealCreationSampleBecomesOneDealChangedEvent() {
        List<HubSpotWebhookTranslator.Outcome> outcomes = webhooks.toCanonical(Samples.json("hubspot-deal-creation.json"));

        assertThat(outcomes).hasSize(1);
        CloudEvent event = ((HubSpotWebhookTranslator.Accepted) outcomes.get(0)).event();
        codec.parse(codec.toJson(event));
        assertThat(event.type()).isEqualTo(EventTypes.DEAL_CHANGED);
        assertThat(event.id()).isEqualTo("hs-deal-18204751234-created-1767225600123");
        assertThat(event.data().dealChange().dealId()).isEqualTo("18204751234");
        assertThat(event.data().dealChange().sourceEventId()).isEqualTo("3816279340");
        assertThat(event.time()).isEqualTo("2026-01-01T00:00:00.123Z");
    }

    @Test
    void stageChangesAreWatchedOtherTypesAcknowledgedAndBrokenElementsReportedAlone() throws Exception {
        JsonNode batch = new ObjectMapper().readTree("["
                + Samples.json("hubspot-deal-propertychange.json").get(0) + ","
                + Samples.json("hubspot-contact-creation.json").get(0) + ","
                + "{\"subscriptionType\":\"deal.propertyChange\",\"propertyName\":\"description\",\"objectId\":1,\"occurredAt\":1},"
                + "{\"subscriptionType\":\"deal.creation\",\"objectId\":\"x\",\"occurredAt\":1},"
                + "\"not an object\"]");

        List<HubSpotWebhookTranslator.Outcome> outcomes = webhooks.toCanonical(batch);

        assertThat(outcomes.get(0)).isInstanceOf(HubSpotWebhookTranslator.Accepted.class);
        assertThat(((HubSpotWebhookTranslator.Accepted) outcomes.get(0)).event().data().dealChange().change())
                .isEqualTo("updated");
        assertThat(outcomes.get(1)).isEqualTo(new HubSpotWebhookTranslator.Ignored("contact.creation"));
        assertThat(outcomes.get(2)).isEqualTo(new HubSpotWebhookTranslator.Ignored("deal.propertyChange:description"));
        assertThat(outcomes.get(3)).isInstanceOf(HubSpotWebhookTranslator.Malformed.class);
        assertThat(outcomes.get(4)).isInstanceOf(HubSpotWebhookTranslator.Malformed.class);
    }

    @Test
    void enrichmentMakesOneOpportunityPerContactWithEveryDetail() {
        CloudEvent event = Opportunities.lucia("created", 1767225600123L, "true");
        codec.parse(codec.toJson(event));

        assertThat(event.type()).isEqualTo(EventTypes.OPPORTUNITY_CREATED);
        assertThat(event.id()).isEqualTo("hs-deal-18204751234-created-c51");
        assertThat(event.subject()).isEqualTo(ContactKey.of("lucia.martin@example.com"));
        var contact = event.data().contact();
        assertThat(contact.email()).isEqualTo("lucia.martin@example.com");
        assertThat(contact.phone()).isEqualTo("+34600112233");
        assertThat(contact.country()).isEqualTo("ES");
        assertThat(contact.postalCode()).isEqualTo("28001");
        assertThat(contact.crmId()).isEqualTo("51");
        assertThat(contact.consent().adPersonalisation()).isTrue();
        var opportunity = event.data().opportunity();
        assertThat(opportunity.amount()).isEqualByComparingTo(new BigDecimal("4800"));
        assertThat(opportunity.currency()).isEqualTo("EUR");
        assertThat(opportunity.stage()).isEqualTo("appointmentscheduled");
        assertThat(opportunity.pipeline()).isEqualTo("default");
        assertThat(opportunity.name()).isEqualTo("Lucia Martin - Premium plan");
    }

    @Test
    void webhookAndPollerSeeingTheSameDealStateMakeTheSameIds() {
        JsonNode deal = Samples.json("hubspot-deal-get-with-associations-response.json");
        JsonNode contacts = Opportunities.luciaContacts("true");

        String viaWebhook = deals.toOpportunities(Opportunities.dealChanged("updated", 1767229200456L, "webhook"), deal,
                contacts).get(0).id();
        String viaPoll = deals.toOpportunities(Opportunities.dealChanged("updated", 1767229299999L, "poll"), deal,
                contacts).get(0).id();

        assertThat(viaPoll).isEqualTo(viaWebhook).startsWith("hs-deal-18204751234-").endsWith("-c51");
    }

    @Test
    void anOpportunityIsTheEnrichersEventWithOneSourceWhoeverNoticedTheChange() {
        JsonNode deal = Samples.json("hubspot-deal-get-with-associations-response.json");
        JsonNode contacts = Opportunities.luciaContacts("true");
        CloudEvent webhook = Opportunities.dealChanged("updated", 1767229200456L, "webhook");
        // the poller does not know the portal
        CloudEvent polled = HubSpotWebhookTranslator.dealChangedEvent(new io.marketingbus.event.DealChange("hubspot",
                null, "18204751234", "updated", "2026-01-01T01:01:39.999Z", "poll", null, null), 1767229299999L);

        CloudEvent viaWebhook = deals.toOpportunities(webhook, deal, contacts).get(0);
        CloudEvent viaPoll = deals.toOpportunities(polled, deal, contacts).get(0);

        assertThat(viaWebhook.source()).isEqualTo(io.marketingbus.event.EventSources.DEAL_ENRICHER)
                .isEqualTo(viaPoll.source()).isNotEqualTo(webhook.source());
        assertThat(viaWebhook.id()).isEqualTo(viaPoll.id());
    }

    @Test
    void consentValuesAreReadStrictly() {
        assertThat(HubSpotDealTranslator.consent("true")).isTrue();
        assertThat(HubSpotDealTranslator.consent("Granted")).isTrue();
        assertThat(HubSpotDealTranslator.consent("no")).isFalse();
        assertThat(HubSpotDealTranslator.consent("maybe")).isNull();
        assertThat(HubSpotDealTranslator.consent(null)).isNull();
        assertThat(Opportunities.lucia("created", 1L, "").data().contact().consent().adPersonalisation()).isNull();
    }

    @Test
    void readsWhatTheEnricherNeeds() {
        CloudEvent change = Opportunities.dealChanged("created", 1767225600123L, "webhook");
        assertThat(deals.dealRequest(change).path()).isEqualTo("/crm/v3/objects/deals/18204751234");
        assertThat(deals.dealRequest(change).query()).contains("associations=contacts").contains("dealstage");
        assertThat(deals.contactIds(Samples.json("hubspot-deal-get-with-associations-response.json")))
                .containsExactly("51");
        assertThat(deals.contactsRequest(List.of("51")).body().toString())
                .isEqualTo("{\"properties\":[\"email\",\"firstname\",\"lastname\",\"phone\",\"mobilephone\",\"country\","
                        + "\"zip\",\"ads_personalisation_consent\"],\"inputs\":[{\"id\":\"51\"}]}");
    }
}

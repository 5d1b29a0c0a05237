package io.marketingbus.platform.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.support.Opportunities;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class FacebookAdsTranslatorTest {

    static final long CREATED = 1767225600123L;
    final FacebookAdsTranslator translator = new FacebookAdsTranslator("v25.0", "1234567890", null,
            Clock.fixed(Instant.ofEpochMilli(CREATED).plusSeconds(3600), ZoneOffset.UTC));

    @Test
    void audienceUsersAreTheDocumentedMultiKeyRowWithMetasHashes() {
        PlatformRequest request = translator.toAudienceUsers(Opportunities.lucia("created", CREATED, "true"),
                "23851234567890123");

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v25.0/23851234567890123/users");
        assertThat(request.body().get("payload")).isEqualTo(Samples.json("facebook-custom-audience-users-request.json")
                .get("payload"));
        assertThat(request.body().at("/session/batch_seq").asInt()).isEqualTo(1);
        assertThat(request.body().at("/session/last_batch_flag").asBoolean()).isTrue();
    }

    @Test
    void metaPhoneHashIsTheSharedVector() {
        assertThat(io.marketingbus.event.Identifiers.sha256Hex(FacebookAdsTranslator.phone("+34600112233")))
                .isEqualTo(Samples.vectors().at("/hashes/sha256(meta_phone)").asText());
        assertThat(io.marketingbus.event.Identifiers.sha256Hex(FacebookAdsTranslator.phone("+1 (650) 555-1212")))
                .isEqualTo("e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176");
        assertThat(FacebookAdsTranslator.name("Martin-Ruiz")).isEqualTo("martinruiz");
    }

    @Test
    void aNewDealIsTheDocumentedLeadWithTheDealIdAsEventId() throws Exception {
        PlatformRequest lead = translator.toLeadEvent(Opportunities.lucia("created", CREATED, "true"));

        assertThat(lead.path()).isEqualTo("/v25.0/1234567890/events");
        // compared as parsed JSON text: 4800 is the same number whether built as a long or read as an int
        assertThat(new ObjectMapper().readTree(lead.body().toString()))
                .isEqualTo(Samples.json("facebook-capi-lead-from-crm-request.json"));
    }

    @Test
    void noLeadForAnUpdateOrOutsideMetasSevenDays() {
        assertThat(translator.toLeadEvent(Opportunities.lucia("updated", CREATED, "true"))).isNull();
        FacebookAdsTranslator eightDaysLater = new FacebookAdsTranslator("v25.0", "1234567890", null,
                Clock.fixed(Instant.ofEpochMilli(CREATED).plusSeconds(8 * 86400), ZoneOffset.UTC));
        assertThat(eightDaysLater.toLeadEvent(Opportunities.lucia("created", CREATED, "true"))).isNull();
    }

    @Test
    void aTestEventCodeIsSentWhenConfigured() {
        CloudEvent event = Opportunities.lucia("created", CREATED, "true");
        FacebookAdsTranslator testing = new FacebookAdsTranslator("v25.0", "1", "TEST123",
                Clock.fixed(Instant.ofEpochMilli(CREATED), ZoneOffset.UTC));

        assertThat(testing.toLeadEvent(event).body().get("test_event_code").asText()).isEqualTo("TEST123");
    }

    @Test
    void aBatchOfAudienceRowsIsOneCallAndOnlyTheRowsMetaRefusesFail() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        FacebookAudienceUsers users = new FacebookAudienceUsers();
        PlatformRequest one = translator.toAudienceUsers(Opportunities.lucia("created", CREATED, "true"), "111");
        com.fasterxml.jackson.databind.node.ObjectNode otherRow = one.body().deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) otherRow.at("/payload/data/0")).set(0, mapper.getNodeFactory()
                .textNode("not-a-hash"));
        PlatformRequest two = new PlatformRequest(one.method(), one.path(), null, otherRow);
        PlatformRequest merged = users.merge(List.of(one, two));

        assertThat(users.takes("direct:facebook-graph", one)).isTrue();
        assertThat(users.group(one)).isEqualTo(users.group(two));
        assertThat(merged.body().at("/payload/data")).hasSize(2);
        assertThat(merged.body().at("/session/estimated_num_total").asInt()).isEqualTo(2);
        assertThat(users.send(List.of(one), r -> Samples.json("facebook-custom-audience-users-response.json")))
                .containsExactly((RuntimeException) null);

        String badRow = two.body().at("/payload/data/0").toString();
        List<RuntimeException> outcome = users.send(List.of(one, two), r -> mapper.createObjectNode()
                .put("num_received", 2).put("num_invalid_entries", 1)
                .set("invalid_entry_samples", mapper.createObjectNode().put("1", badRow)));
        assertThat(outcome.get(0)).isNull();
        assertThat(outcome.get(1)).isInstanceOf(PlatformRejectedException.class);
        assertThatThrownBy(() -> users.send(List.of(one, two), r -> mapper.readTree(
                "{\"num_received\":2,\"num_invalid_entries\":1,\"invalid_entry_samples\":{}}")))
                .isInstanceOf(PlatformRejectedException.class);
    }

    @Test
    void conversionsApiEventsMergeUpTo1000AndACountShortfallIsARejection() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        FacebookConversionEvents events = new FacebookConversionEvents();
        PlatformRequest lead = translator.toLeadEvent(Opportunities.lucia("created", CREATED, "true"));

        assertThat(events.limit()).isEqualTo(1000);
        assertThat(events.merge(List.of(lead, lead)).body().get("data")).hasSize(2);
        assertThat(events.send(List.of(lead), r -> Samples.json("facebook-capi-response.json")))
                .containsExactly((RuntimeException) null);
        assertThatThrownBy(() -> events.send(List.of(lead, lead), r -> mapper.readTree("{\"events_received\":1}")))
                .isInstanceOf(PlatformRejectedException.class);
    }
}

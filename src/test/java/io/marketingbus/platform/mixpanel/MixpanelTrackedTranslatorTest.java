package io.marketingbus.platform.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identity;
import io.marketingbus.event.InvalidEventException;
import io.marketingbus.support.TrackedEvents;
import org.junit.jupiter.api.Test;

/** The tracking API's hits and identities as Mixpanel requests (docs/api-destinations.md). */
class MixpanelTrackedTranslatorTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    final MixpanelTranslator simplified = new MixpanelTranslator("2195193", "mp-token", "hs-contact-", Set.of("purchase"), false);
    final MixpanelTranslator original = new MixpanelTranslator("2195193", "mp-token", "hs-contact-", Set.of("purchase"), true);

    static JsonNode wire(PlatformRequest request) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(request.body()));
    }

    static CloudEvent identity(String type, Identity identity) {
        return CloudEvent.of("seg-0123", "/tracking/web", type, "2026-01-05T08:00:00Z", identity.key(),
                EventData.identity(identity));
    }

    @Test
    void aTrackedHitIsNamedBySegmentAndBelongsToTheUserElseTheAnonymousId() throws Exception {
        Instant time = Instant.parse("2026-01-05T08:00:00Z");
        CloudEvent anonymous = TrackedEvents.hit("web", "m-1", "anon-1", null, time, "view_item", "Product Viewed",
                Map.of("product_id", "sku-1")).event();
        CloudEvent known = TrackedEvents.hit("web", "m-2", "anon-1", "u-1", time, "page_view", null, Map.of()).event();

        JsonNode viewed = wire(simplified.toHitEvents(anonymous)).get(0);
        JsonNode page = wire(simplified.toHitEvents(known)).get(0);

        assertThat(viewed.get("event").asText()).isEqualTo("Product Viewed");
        assertThat(viewed.at("/properties/distinct_id").asText()).isEqualTo("anon-1");
        assertThat(viewed.at("/properties/time").asLong()).isEqualTo(time.toEpochMilli());
        assertThat(viewed.at("/properties/product_id").asText()).isEqualTo("sku-1");
        assertThat(viewed.at("/properties").has("segment_event")).isFalse();
        assertThat(page.get("event").asText()).isEqualTo("page_view");
        assertThat(page.at("/properties/distinct_id").asText()).isEqualTo("u-1");
    }

    @Test
    void anIdentifySetsTheUsersProfileWithMixpanelNamesAndNeverAnEmailOrPhone() throws Exception {
        Identity ana = new Identity("u-21", "anon-21", null, Map.of("firstName", "Ana", "lastName", "Ruiz", "plan", "pro",
                "email", "ana@example.com", "phone", "+34600000000", "work", "ana@work.example"));

        PlatformRequest request = simplified.toIdentitySet(identity(EventTypes.IDENTITY_IDENTIFIED, ana));

        assertThat(request.path()).isEqualTo("/engage");
        assertThat(request.query()).isEqualTo("verbose=1");
        JsonNode update = wire(request).get(0);
        assertThat(update.get("$token").asText()).isEqualTo("mp-token");
        assertThat(update.get("$distinct_id").asText()).isEqualTo("u-21");
        assertThat(update.at("/$set/$first_name").asText()).isEqualTo("Ana");
        assertThat(update.at("/$set/$last_name").asText()).isEqualTo("Ruiz");
        assertThat(update.at("/$set/plan").asText()).isEqualTo("pro");
        assertThat(update.toString()).doesNotContain("example").doesNotContain("600000000");
    }

    @Test
    void anAnonymousOnlyIdentifyHasNoProfile() {
        assertThat(simplified.toIdentitySet(identity(EventTypes.IDENTITY_IDENTIFIED,
                new Identity(null, "anon-2", null, Map.of("plan", "free"))))).isNull();
    }

    @Test
    void anAliasIsAnIdentifyEventLinkingTheIdsOrAMergeForTheOriginalIdMerge() throws Exception {
        CloudEvent alias = identity(EventTypes.IDENTITY_ALIASED, new Identity("u-21", null, "anon-21", null));

        PlatformRequest linked = simplified.toAlias(alias);
        PlatformRequest merged = original.toAlias(alias);

        assertThat(linked.path()).isEqualTo("/import");
        JsonNode identify = wire(linked).get(0);
        assertThat(identify.get("event").asText()).isEqualTo("$identify");
        assertThat(identify.at("/properties/$user_id").asText()).isEqualTo("u-21");
        assertThat(identify.at("/properties/$device_id").asText()).isEqualTo("anon-21");
        assertThat(identify.at("/properties/$insert_id").asText()).matches("[0-9a-f]{32}");
        assertThat(merged.path()).isEqualTo("/import");
        JsonNode merge = wire(merged).get(0);
        assertThat(merge.get("event").asText()).isEqualTo("$merge");
        assertThat(merge.at("/properties/$distinct_ids").toString()).isEqualTo("[\"anon-21\",\"u-21\"]");
        assertThatThrownBy(() -> simplified.toAlias(identity(EventTypes.IDENTITY_ALIASED,
                new Identity("u-21", null, null, null)))).isInstanceOf(InvalidEventException.class).hasMessageContaining("previousId");
    }
}

package io.marketingbus.api.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.InvalidEventException;
import org.junit.jupiter.api.Test;

/** Segment spec → canonical events, per call type, on payloads as the official libraries send them. */
class SegmentTranslatorTest {

    static final Instant RECEIVED = Instant.parse("2026-11-29T18:00:10Z");
    final ObjectMapper mapper = new ObjectMapper();
    final SegmentTranslator translator = new SegmentTranslator(new EventCodec(new EventSchemas()), "Order Completed");

    List<TrackedRecord> translate(String sample) {
        ObjectNode message = TrackingSamples.json(sample);
        message.remove("writeKey");
        return translator.toRecords(new TrackedMessage("web", message.get("type").asText(),
                message.get("messageId").asText(), Instant.parse(message.get("timestamp").asText()), RECEIVED, message,
                List.of()));
    }

    JsonNode event(TrackedRecord record) throws Exception {
        return mapper.readTree(record.record().value());
    }

    @Test
    void identifyWithAnEmailUpdatesTheContactAndIdentifiesTheUser() throws Exception {
        List<TrackedRecord> records = translate("segment-identify.json");

        assertThat(records).extracting(TrackedRecord::topic)
                .containsExactly("marketing.subscriptions", "marketing.analytics-hits");
        JsonNode contact = event(records.get(0));
        String id = "seg-" + Identifiers.sha256Hex("web|node-next-1764442800000-7a1e4c2f-0b9d-4c5e-8f6a-2d3b4c5d6e7f")
                .substring(0, 32);
        assertThat(contact.get("id").asText()).isEqualTo(id);
        assertThat(contact.get("source").asText()).isEqualTo("/tracking/web");
        assertThat(contact.get("type").asText()).isEqualTo("marketing.contact.profile-updated");
        assertThat(records.get(0).record().key()).isEqualTo(ContactKey.of("lucia.martin@example.com"));
        assertThat(contact.at("/data/contact/email").asText()).isEqualTo("lucia.martin@example.com");
        assertThat(contact.at("/data/contact/firstName").asText()).isEqualTo("Lucía");
        assertThat(contact.at("/data/contact/lastName").asText()).isEqualTo("Martín");
        assertThat(contact.at("/data/contact/phone").asText()).isEqualTo("+34600112233");
        assertThat(contact.at("/data/contact/country").asText()).isEqualTo("ES");
        assertThat(contact.at("/data/contact/postalCode").asText()).isEqualTo("28001");
        assertThat(contact.at("/data/subscription/platform").asText()).isEqualTo("segment");

        JsonNode identity = event(records.get(1));
        assertThat(identity.get("type").asText()).isEqualTo("marketing.identity.identified");
        assertThat(identity.at("/data/identity/userId").asText()).isEqualTo("user-4711");
        assertThat(identity.at("/data/identity/anonymousId").asText()).isEqualTo("5f1c2c2e-8c3b-4a55-9f43-7b9c3a1d2e10");
        assertThat(identity.at("/data/identity/traits/plan").asText()).isEqualTo("premium");
        assertThat(identity.at("/data/identity/traits").has("email")).isFalse();
        assertThat(identity.at("/data/identity/traits").has("phone")).isFalse();
        assertThat(records.get(1).record().key()).isEqualTo(Identifiers.sha256Hex("user-4711"));
    }

    @Test
    void identifyWithoutAnEmailOnlyIdentifies() throws Exception {
        List<TrackedRecord> records = translate("segment-identify-no-email.json");

        assertThat(records).singleElement().satisfies(r -> assertThat(r.eventType()).isEqualTo("marketing.identity.identified"));
        JsonNode identity = event(records.get(0));
        assertThat(identity.at("/data/identity/traits").toString()).isEqualTo("{\"plan\":\"trial\"}");
    }

    @Test
    void orderCompletedIsAPurchaseKeyedByItsOrder() throws Exception {
        List<TrackedRecord> records = translate("segment-track-order-completed.json");

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("marketing.purchases");
            assertThat(r.record().key()).isEqualTo(Conversion.orderKey("50314b8e9bcf000000000000"));
        });
        JsonNode purchase = event(records.get(0));
        assertThat(purchase.get("type").asText()).isEqualTo("marketing.purchase.received");
        assertThat(purchase.get("time").asText()).isEqualTo("2026-11-29T18:00:01Z");
        JsonNode conversion = purchase.at("/data/conversion");
        assertThat(conversion.get("platform").asText()).isEqualTo("segment");
        assertThat(conversion.get("transactionId").asText()).isEqualTo("50314b8e9bcf000000000000");
        assertThat(conversion.get("orderId").asText()).isEqualTo("50314b8e9bcf000000000000");
        assertThat(conversion.get("value").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(conversion.get("currency").asText()).isEqualTo("EUR");
        assertThat(conversion.get("tax").decimalValue()).isEqualByComparingTo("2");
        assertThat(conversion.get("shipping").decimalValue()).isEqualByComparingTo("3");
        assertThat(conversion.get("coupon").asText()).isEqualTo("hasbros");
        assertThat(conversion.get("items")).hasSize(2);
        assertThat(conversion.at("/items/0/id").asText()).isEqualTo("507f1f77bcf86cd799439011");
        assertThat(conversion.at("/items/1/id").asText()).isEqualTo("46493-32");
        assertThat(conversion.at("/items/1/quantity").asInt()).isEqualTo(2);
        assertThat(purchase.at("/data/customer/email").asText()).isEqualTo("lucia.martin@example.com");
        assertThat(purchase.at("/data/customer/userId").asText()).isEqualTo("user-4711");
    }

    @Test
    void aPurchaseWithoutRevenueTakesTheTotalAndUsdByDefault() throws Exception {
        ObjectNode message = TrackingSamples.json("segment-track-order-completed.json");
        ObjectNode properties = (ObjectNode) message.get("properties");
        properties.remove("revenue");
        properties.remove("currency");
        JsonNode purchase = event(translator.toRecords(new TrackedMessage("web", "track", "m1", RECEIVED, RECEIVED,
                message, List.of())).get(0));
        assertThat(purchase.at("/data/conversion/value").decimalValue()).isEqualByComparingTo("27.50");
        assertThat(purchase.at("/data/conversion/currency").asText()).isEqualTo("USD");
    }

    @Test
    void aPurchaseWithoutAnOrderIdIsRefused() {
        ObjectNode message = TrackingSamples.json("segment-track-order-completed.json");
        ((ObjectNode) message.get("properties")).remove("order_id");
        assertThatThrownBy(() -> translator.toRecords(new TrackedMessage("web", "track", "m1", RECEIVED, RECEIVED,
                message, List.of()))).isInstanceOf(InvalidEventException.class).hasMessageContaining("order_id");
    }

    @Test
    void productViewedIsGa4ViewItemWithoutPersonalData() throws Exception {
        List<TrackedRecord> records = translate("segment-track-product-viewed.json");

        assertThat(records).singleElement().satisfies(r -> assertThat(r.topic()).isEqualTo("marketing.analytics-hits"));
        JsonNode hit = event(records.get(0)).at("/data/hit");
        assertThat(hit.get("client_id").asText()).isEqualTo("5f1c2c2e-8c3b-4a55-9f43-7b9c3a1d2e10");
        assertThat(hit.has("user_id")).isFalse();
        assertThat(hit.get("timestamp_micros").asLong()).isEqualTo(Instant.parse("2026-11-29T18:00:02Z").toEpochMilli() * 1000);
        JsonNode event = hit.at("/events/0");
        assertThat(event.get("name").asText()).isEqualTo("view_item");
        assertThat(event.at("/params/segment_event").asText()).isEqualTo("Product Viewed");
        assertThat(event.at("/params/product_id").asText()).isEqualTo("507f1f77bcf86cd799439011");
        assertThat(event.at("/params/price").asDouble()).isEqualTo(18.99);
        assertThat(event.get("params").has("contact_email")).as("an e-mail is never sent to GA4").isFalse();
    }

    @Test
    void anyOtherTrackIsItsSnakeCasedName() throws Exception {
        ObjectNode message = TrackingSamples.json("segment-track-product-viewed.json");
        message.put("event", "Video Playback Started With A Very Long Name Indeed Yes");
        JsonNode event = event(translator.toRecords(new TrackedMessage("web", "track", "m2", RECEIVED, RECEIVED,
                message, List.of())).get(0)).at("/data/hit/events/0");
        assertThat(event.get("name").asText()).isEqualTo("video_playback_started_with_a_very_long");
        assertThat(SegmentTranslator.ga4Name("orderTotal")).isEqualTo("order_total");
    }

    @Test
    void pageIsPageViewWithLocationTitleAndReferrer() throws Exception {
        JsonNode event = event(translate("segment-page.json").get(0)).at("/data/hit/events/0");
        assertThat(event.get("name").asText()).isEqualTo("page_view");
        assertThat(event.at("/params/page_location").asText()).isEqualTo("https://www.example.com/pricing");
        assertThat(event.at("/params/page_title").asText()).isEqualTo("Pricing - Example");
        assertThat(event.at("/params/page_referrer").asText()).isEqualTo("https://www.google.com/");
        assertThat(event.at("/params/segment_event").asText()).isEqualTo("Pricing");
        assertThat(event.get("params").has("url")).as("already page_location").isFalse();
        assertThat(event.at("/params/path").asText()).isEqualTo("/pricing");
    }

    @Test
    void screenIsScreenView() throws Exception {
        JsonNode hit = event(translate("segment-screen.json").get(0)).at("/data/hit");
        assertThat(hit.get("user_id").asText()).isEqualTo("user-4711");
        assertThat(hit.get("client_id").asText()).isEqualTo("user-4711");
        assertThat(hit.at("/events/0/name").asText()).isEqualTo("screen_view");
        assertThat(hit.at("/events/0/params/screen_name").asText()).isEqualTo("Home");
        assertThat(hit.at("/events/0/params/variation").asText()).isEqualTo("blue signup button");
    }

    @Test
    void groupIsJoinGroup() throws Exception {
        JsonNode event = event(translate("segment-group.json").get(0)).at("/data/hit/events/0");
        assertThat(event.get("name").asText()).isEqualTo("join_group");
        assertThat(event.at("/params/group_id").asText()).isEqualTo("acme-0042");
        assertThat(event.at("/params/employees").asInt()).isEqualTo(329);
    }

    @Test
    void aliasLinksThePreviousIdToTheUser() throws Exception {
        List<TrackedRecord> records = translate("segment-alias.json");
        assertThat(records).singleElement().satisfies(r -> assertThat(r.eventType()).isEqualTo("marketing.identity.aliased"));
        JsonNode identity = event(records.get(0)).at("/data/identity");
        assertThat(identity.get("userId").asText()).isEqualTo("user-4711");
        assertThat(identity.get("previousId").asText()).isEqualTo("5f1c2c2e-8c3b-4a55-9f43-7b9c3a1d2e10");
    }

    @Test
    void theSameMessageIdIsTheSameEvent() {
        assertThat(translate("segment-alias.json").get(0).eventId()).isEqualTo(translate("segment-alias.json").get(0).eventId())
                .isEqualTo(SegmentTranslator.eventId("web", "node-next-1764442806000-5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"))
                .isNotEqualTo(SegmentTranslator.eventId("ios", "node-next-1764442806000-5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"));
    }

    @Test
    void aPurchaseWithOnlyTheUserIdNamesTheCustomerByTheEmailTheSourceLastIdentified() throws Exception {
        ObjectNode purchase = TrackingSamples.json("segment-track-order-completed.json");
        purchase.remove("writeKey");
        purchase.remove("traits");
        ((ObjectNode) purchase.path("context")).remove("traits");
        ((ObjectNode) purchase.path("properties")).remove("email");
        purchase.put("userId", "user-9001");
        ObjectNode identify = TrackingSamples.json("segment-identify.json");
        identify.remove("writeKey");
        identify.put("userId", "user-9001");
        ((ObjectNode) identify.path("traits")).put("email", "Ana.Ruiz@Example.com");

        JsonNode before = event(toRecords("web", purchase).get(0));
        assertThat(before.at("/data/customer/email").isMissingNode()).as("nobody identified user-9001 yet").isTrue();

        toRecords("web", identify);
        JsonNode after = event(toRecords("web", purchase).get(0));
        assertThat(after.at("/data/customer/email").asText()).isEqualTo("ana.ruiz@example.com");
        assertThat(after.at("/data/customer/userId").asText()).isEqualTo("user-9001");
        // another source's user-9001 is another person
        assertThat(event(toRecords("ios", purchase).get(0)).at("/data/customer/email").isMissingNode()).isTrue();
    }

    List<TrackedRecord> toRecords(String source, ObjectNode message) {
        return translator.toRecords(new TrackedMessage(source, message.get("type").asText(),
                message.get("messageId").asText(), Instant.parse(message.get("timestamp").asText()), RECEIVED, message,
                List.of()));
    }
}

package io.marketingbus.platform.ga4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class MeasurementProtocolRelayTest {

    /** An hour after the shared sample's timestamp_micros. */
    final Clock clock = Clock.fixed(Instant.ofEpochSecond(1767600000L + 3600), ZoneOffset.UTC);
    final MeasurementProtocolRelay relay = new MeasurementProtocolRelay(Set.of("purchase"), clock);
    final ObjectMapper mapper = new ObjectMapper();

    ObjectNode sample() {
        return (ObjectNode) Samples.json("ga4-purchase.json").deepCopy();
    }

    @Test
    void theSamplePurchaseIsForwardedUnchangedAndBecomesOnePurchase() {
        MeasurementProtocolRelay.Relayed relayed = relay.relay(sample());

        assertThat(relayed.hit()).isEqualTo(sample());
        assertThat(relayed.purchases()).hasSize(1);
        CloudEvent purchase = relayed.purchases().get(0);
        EventCodec codec = new EventCodec(new EventSchemas());
        codec.parse(codec.toJson(purchase));
        assertThat(purchase.id()).isEqualTo("ga4-T-100234");
        assertThat(purchase.time()).isEqualTo("2026-01-05T08:00:00Z");
        assertThat(purchase.data().customer().userId()).isEqualTo("hs-contact-51");
        assertThat(purchase.data().conversion().value()).isEqualByComparingTo("129.9");
        assertThat(purchase.data().conversion().currency()).isEqualTo("EUR");
        assertThat(purchase.data().conversion().items()).hasSize(1);
    }

    @Test
    void clearUserDataIsHashedAsGa4RequiresAndNeverForwarded() {
        ObjectNode hit = sample();
        ObjectNode userData = hit.putObject("user_data");
        userData.put("email_address", "  Lucia.Martin@Example.com ");
        userData.put("phone_number", "+34 600 11 22 33");
        userData.putArray("address").addObject().put("first_name", "Lucia").put("last_name", "Martin")
                .put("postal_code", "28001").put("country", "ES");

        MeasurementProtocolRelay.Relayed relayed = relay.relay(hit);

        JsonNode vectors = Samples.vectors().get("hashes");
        ObjectNode expected = sample();
        ObjectNode hashed = expected.putObject("user_data");
        hashed.putArray("sha256_email_address").add(vectors.get("sha256(email)").asText());
        hashed.putArray("sha256_phone_number").add(vectors.get("sha256(google_phone)").asText());
        hashed.putArray("address").addObject().put("sha256_first_name", vectors.get("sha256(fn)").asText())
                .put("sha256_last_name", vectors.get("sha256(ln)").asText()).put("postal_code", "28001").put("country", "es");
        assertThat(relayed.hit()).isEqualTo(expected);
        assertThat(relayed.hit().toString()).doesNotContain("lucia.martin").doesNotContain("Lucia").doesNotContain("600 11").doesNotContain("34600112233");
        assertThat(relayed.purchases().get(0).data().customer().email()).isEqualTo("lucia.martin@example.com");
    }

    @Test
    void refusesWhatGa4sValidationWould() {
        ObjectNode tooMany = sample();
        ArrayNode events = (ArrayNode) tooMany.get("events");
        while (events.size() < 26) {
            events.addObject().put("name", "page_view");
        }
        assertThatThrownBy(() -> relay.relay(tooMany)).isInstanceOf(InvalidHitException.class)
                .hasMessageContaining("at most 25 events");

        ObjectNode noClient = sample();
        noClient.remove("client_id");
        assertThatThrownBy(() -> relay.relay(noClient)).hasMessageContaining("client_id");

        ObjectNode reserved = sample();
        ((ObjectNode) reserved.get("events").get(0)).put("name", "session_start");
        assertThatThrownBy(() -> relay.relay(reserved)).hasMessageContaining("reserved");

        ObjectNode old = sample();
        old.put("timestamp_micros", String.valueOf((1767600000L - 73 * 3600) * 1_000_000));
        assertThatThrownBy(() -> relay.relay(old)).hasMessageContaining("72 hours");

        ObjectNode noTransaction = sample();
        ((ObjectNode) noTransaction.at("/events/0/params")).remove("transaction_id");
        assertThatThrownBy(() -> relay.relay(noTransaction)).hasMessageContaining("transaction_id");

        ObjectNode unknownUserData = sample();
        unknownUserData.putObject("user_data").put("ssn", "123");
        assertThatThrownBy(() -> relay.relay(unknownUserData)).hasMessageContaining("ssn");
    }

    @Test
    void personalDataOutsideUserDataIsRefused() {
        ObjectNode hit = sample();
        ((ObjectNode) hit.at("/events/0/params")).put("coupon", "for lucia.martin@example.com");

        assertThatThrownBy(() -> relay.relay(hit)).isInstanceOf(InvalidHitException.class)
                .hasMessageContaining("e-mail address");
    }

    @Test
    void otherEventsAreForwardedOnly() {
        ObjectNode hit = sample();
        ((ObjectNode) hit.get("events").get(0)).put("name", "add_to_cart");

        MeasurementProtocolRelay.Relayed relayed = relay.relay(hit);

        assertThat(relayed.purchases()).isEmpty();
        assertThat(relayed.hit()).isEqualTo(hit);
        assertThat(new MeasurementProtocolRelay(Set.of("purchase", "add_to_cart"), clock).relay(hit).purchases()).hasSize(1);
    }
}

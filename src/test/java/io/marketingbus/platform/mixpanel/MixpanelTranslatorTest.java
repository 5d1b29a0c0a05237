package io.marketingbus.platform.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.ContactKey;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Subscription;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class MixpanelTranslatorTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    final MixpanelTranslator translator = new MixpanelTranslator("2195193", "mp-token", "hs-contact-", Set.of("purchase"));

    static CloudEvent purchase(String crmId) {
        Contact lucia = new Contact("lucia.martin@example.com", "Lucia", "Martin", "+34600112233", null, null, crmId, null);
        Conversion conversion = new Conversion("ga4", "T-100234", new BigDecimal("129.9"), "EUR", null, null, null, null,
                null, null);
        return CloudEvent.of("ga4-T-100234", "/ga4/relay", EventTypes.CONVERSION_PURCHASE, "2026-01-05T08:00:00Z",
                EventData.conversion(lucia, conversion));
    }

    /** What goes on the wire, read back as Mixpanel would read it. */
    static JsonNode wire(PlatformRequest request) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(request.body()));
    }

    @Test
    void aPurchaseIsTheSampleImportRequest() throws Exception {
        PlatformRequest request = translator.toPurchase(purchase("51"));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/import");
        assertThat(request.query()).isEqualTo("strict=1&project_id=2195193");
        assertThat(wire(request)).isEqualTo(Samples.json("mixpanel-import-request.json"));
    }

    @Test
    void withoutACrmIdTheDistinctIdIsTheContactKeyAndNoEMailIsSent() throws Exception {
        JsonNode body = wire(translator.toPurchase(purchase(null)));

        assertThat(body.at("/0/properties/distinct_id").asText()).isEqualTo(ContactKey.of("lucia.martin@example.com"));
        assertThat(body.toString()).doesNotContain("lucia.martin").doesNotContain("600112233");
    }

    @Test
    void aHitsEventsGetTheirParamsAndTheSameInsertIdsEveryTimeButThePurchaseIsLeftOut() throws Exception {
        ObjectNode hit = (ObjectNode) Samples.json("ga4-purchase.json").deepCopy();
        ObjectNode view = hit.withArray("events").insertObject(0);
        view.put("name", "view_item").putObject("params").put("item_id", "SKU-123").put("value", 64.95);
        hit.withArray("events").addObject().put("name", "add_to_cart").putObject("params").put("item_id", "SKU-9");
        CloudEvent event = CloudEvent.of("ga4-hit-0123456789abcdef", "/ga4/relay/hits", EventTypes.ANALYTICS_HIT,
                "2026-01-05T08:00:05Z", "client-key", EventData.hit(hit));

        JsonNode body = wire(translator.toHitEvents(event));
        JsonNode again = wire(translator.toHitEvents(event));

        assertThat(body).hasSize(2);
        assertThat(body.at("/0/event").asText()).isEqualTo("view_item");
        assertThat(body.at("/0/properties/item_id").asText()).isEqualTo("SKU-123");
        assertThat(body.at("/0/properties/time").asLong()).isEqualTo(1767600000000L);
        assertThat(body.at("/0/properties/distinct_id").asText()).isEqualTo("hs-contact-51");
        assertThat(body.at("/1/event").asText()).isEqualTo("add_to_cart");
        String first = body.at("/0/properties/$insert_id").asText();
        String second = body.at("/1/properties/$insert_id").asText();
        assertThat(first).matches("[A-Za-z0-9-]{1,36}").isNotEqualTo(second);
        assertThat(again).isEqualTo(body);
    }

    @Test
    void aHitOfOnlyAPurchaseGivesNoRequestAndOneWithoutUserIdUsesTheClientKey() {
        JsonNode hit = Samples.json("ga4-purchase.json");
        assertThat(translator.toHitEvents(CloudEvent.of("ga4-hit-1", "/ga4/relay/hits", EventTypes.ANALYTICS_HIT,
                "2026-01-05T08:00:05Z", "client-key", EventData.hit(hit)))).isNull();

        ObjectNode anonymous = (ObjectNode) hit.deepCopy();
        anonymous.remove("user_id");
        anonymous.withArray("events").addObject().put("name", "page_view");
        PlatformRequest request = translator.toHitEvents(CloudEvent.of("ga4-hit-2", "/ga4/relay/hits",
                EventTypes.ANALYTICS_HIT, "2026-01-05T08:00:05Z", "client-key", EventData.hit(anonymous)));
        assertThat(request.body().at("/0/properties/distinct_id").asText()).isEqualTo("client-key");
    }

    @Test
    void aContactChangeIsAProfileSetWithTheTokenAndNeitherEMailNorPhone() {
        Contact lucia = Contact.of("lucia.martin@example.com", "Lucia", "Martin", "+34600112233", null);
        CloudEvent subscribed = CloudEvent.of("mc-1", "/mailchimp/lists/a1", EventTypes.CONTACT_SUBSCRIBED,
                "2026-01-05T08:00:00Z", EventData.subscription(lucia,
                        new Subscription("mailchimp", "a1", "m1", "subscribed", null, null)));

        PlatformRequest request = translator.toProfileSet(subscribed);

        assertThat(request.path()).isEqualTo("/engage");
        assertThat(request.query()).isEqualTo("verbose=1");
        JsonNode update = request.body().get(0);
        assertThat(update.get("$token").asText()).isEqualTo("mp-token");
        assertThat(update.get("$distinct_id").asText()).isEqualTo(ContactKey.of("lucia.martin@example.com"));
        assertThat(update.at("/$set/$first_name").asText()).isEqualTo("Lucia");
        assertThat(update.at("/$set/email_status").asText()).isEqualTo("subscribed");
        assertThat(update.toString()).doesNotContain("lucia.martin").doesNotContain("600112233");
    }
}

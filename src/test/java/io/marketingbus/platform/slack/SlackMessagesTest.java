package io.marketingbus.platform.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import io.marketingbus.support.Opportunities;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

/** The chat.postMessage requests the bus makes, against the vendor's sample (docs/platforms/slack.md §3). */
class SlackMessagesTest {

    final SlackMessages messages = new SlackMessages("https://app.hubspot.com/contacts/62515/record/0-3/{deal}");

    @Test
    void aNewDealIsTheSampleMessage() {
        CloudEvent deal = Opportunities.lucia("created", 1767225600000L, "true");
        assertThat(deal.type()).isEqualTo(EventTypes.OPPORTUNITY_CREATED);

        PlatformRequest request = messages.opportunity(deal, "C0123456789");

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/chat.postMessage");
        assertThat(request.body()).isEqualTo(Samples.json("slack-chat-postmessage-request.json"));
    }

    @Test
    void theSampleBecomesTheSlackSdkMessageCamelSlackSends() throws Exception {
        JsonNode sample = Samples.json("slack-chat-postmessage-request.json");

        com.slack.api.model.Message message = SlackCalls.toMessage(sample);

        assertThat(message.getChannel()).isEqualTo("C0123456789");
        assertThat(message.getText()).isEqualTo(sample.get("text").asText());
        assertThat(message.getBlocks()).hasSize(1);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                com.slack.api.util.json.GsonFactory.createSnakeCase().toJson(message.getBlocks()))).isEqualTo(sample.get("blocks"));
    }

    @Test
    void aVipCustomerIsTheirFirstPurchaseOverTheVipAmount() {
        String vip = "500";
        assertThat(messages.becameVip(purchase("120.00", "520.00", null), vip)).isTrue();
        assertThat(messages.becameVip(purchase("120.00", "500.00", null), vip)).as("exactly the VIP amount").isTrue();
        assertThat(messages.becameVip(purchase("120.00", "640.00", null), vip)).as("VIP before this purchase").isFalse();
        assertThat(messages.becameVip(purchase("120.00", "499.99", null), vip)).isFalse();
        assertThat(messages.becameVip(purchase("120.00", "520.00", true), vip)).as("a test order").isFalse();
        CloudEvent crossing = purchase("120.00", "520.00", null);
        assertThat(messages.becameVip(CloudEvent.of(crossing.id(), crossing.source(), EventTypes.CONVERSION_ADJUSTED,
                crossing.time(), crossing.data()), vip)).as("an adjustment (a refund, a late copy)").isFalse();

        PlatformRequest request = messages.vipCustomer(purchase("120.00", "520.00", null), "C0123456789");
        assertThat(request.body().get("text").asText()).isEqualTo("VIP customer: Lucia Martin reached EUR 520 in purchases");
        assertThat(request.body().at("/blocks/0/text/text").asText())
                .isEqualTo("*VIP customer* Lucia Martin\nTotal: EUR 520 · This order: T-1001 (EUR 120)");
        assertThat(request.body().toString()).doesNotContain("lucia.martin@example.com");
    }

    @Test
    void aCustomerWithoutANameIsShownByAMaskedAddress() {
        Contact contact = new Contact("lucia.martin@example.com", null, null, null, null, null, "51", null);
        Conversion purchase = new Conversion("ga4", "T-1001", new BigDecimal("120"), "EUR", null, null, null, null, 3,
                new BigDecimal("520"));
        CloudEvent event = CloudEvent.of("conv-T-1001", EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE,
                "2026-01-15T10:00:00Z", EventData.conversion(contact, purchase));

        assertThat(messages.vipCustomer(event, "C0123456789").body().toString())
                .contains("l***@example.com").doesNotContain("lucia.martin@");
    }

    @Test
    void mrkdwnControlCharactersAreEscapedAndAmountsGrouped() {
        assertThat(SlackMessages.escape("R&D <urgent>")).isEqualTo("R&amp;D &lt;urgent&gt;");
        assertThat(SlackMessages.amount("EUR", new BigDecimal("4800.50"))).isEqualTo("EUR 4,800.5");
        assertThat(SlackMessages.amount("USD", new BigDecimal("1234567"))).isEqualTo("USD 1,234,567");
    }

    static CloudEvent purchase(String value, String total, Boolean test) {
        Contact contact = new Contact("lucia.martin@example.com", "Lucia", "Martin", null, null, null, "51", null);
        Conversion purchase = new Conversion("shopify", "T-1001", new BigDecimal(value), "EUR", null, null, null, null,
                3, new BigDecimal(total), null, test, null, null);
        return CloudEvent.of("conv-T-1001", EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE,
                "2026-01-15T10:00:00Z", EventData.conversion(contact, purchase));
    }
}

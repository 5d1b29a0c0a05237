package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.EventTypes;
import io.marketingbus.platform.slack.SlackMessages;
import io.marketingbus.platform.slack.SlackRepeats;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * The Slack notification rules (routes/flows/notifications.camel.yaml): a high-value opportunity once per deal
 * state, and the purchase that makes its customer VIP. What is posted is the request enlisted for direct:slack-api.
 */
class NotificationRulesTest extends RouterTestSupport {

    static final String CHANNEL = "C0123456789";

    @Override
    String flowFile() {
        return "routes/flows/notifications.camel.yaml";
    }

    @Override
    String routes() {
        return "opportunity-to-slack,conversion-to-slack";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("slack.channel", CHANNEL, "slack.opportunities.min-amount", "10000", "loyalty.vip-amount", "500",
                "slack.alerts.enabled", "false", "slack.alerts.check-ms", "30000");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("SlackMessages", new SlackMessages(""));
        registry.bind("SlackRepeats", new SlackRepeats(Duration.ofMinutes(30), Clock.systemUTC()));
    }

    Exchange opportunity(String type, String amount) {
        return deliver("direct:opportunity-to-slack", Events.opportunity(type, true, "default", "contractsent", amount));
    }

    @Test
    void aDealWorthTheMinimumIsAnnouncedInTheChannel() throws Exception {
        start();
        MockEndpoint enlisted = enlisted();
        enlisted.expectedMessageCount(1);
        enlisted.expectedHeaderReceived(CONNECTOR, "direct:slack-api");

        Exchange done = opportunity(EventTypes.OPPORTUNITY_UPDATED, "10000");

        assertThat(skipReason(done)).isNull();
        MockEndpoint.assertIsSatisfied(context);
        PlatformRequest request = enlisted.getExchanges().get(0).getMessage().getBody(PlatformRequest.class);
        assertThat(request.body().get("channel").asText()).isEqualTo(CHANNEL);
        assertThat(request.body().get("text").asText()).isEqualTo("Updated HubSpot deal: Lucia's renewal (EUR 10,000)");
    }

    @Test
    void aSmallerDealOrOneWithoutAmountIsSkipped() throws Exception {
        start();
        enlisted().expectedMessageCount(0);

        assertThat(skipReason(opportunity(EventTypes.OPPORTUNITY_CREATED, "9999.99"))).isEqualTo("not a high-value opportunity");
        assertThat(skipReason(opportunity(EventTypes.OPPORTUNITY_CREATED, null))).isEqualTo("not a high-value opportunity");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void theSameDealStateIsAnnouncedOnceAChangedOneAgain() throws Exception {
        start();
        enlisted().expectedMessageCount(2);

        assertThat(skipReason(opportunity(EventTypes.OPPORTUNITY_UPDATED, "20000"))).isNull();
        assertThat(skipReason(opportunity(EventTypes.OPPORTUNITY_UPDATED, "20000")))
                .as("another contact of the deal").isEqualTo("this deal state was announced already");
        assertThat(skipReason(opportunity(EventTypes.OPPORTUNITY_UPDATED, "25000"))).as("a new amount").isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void thePurchaseThatMakesTheCustomerVipIsAnnounced() throws Exception {
        start();
        MockEndpoint enlisted = enlisted();
        enlisted.expectedMessageCount(1);
        enlisted.expectedHeaderReceived(CONNECTOR, "direct:slack-api");

        // each purchase is EUR 120: 520 crosses 500, 640 was VIP before, 380 is not yet
        assertThat(skipReason(deliver("direct:conversion-to-slack", Events.conversion(5, "520.00")))).isNull();
        assertThat(skipReason(deliver("direct:conversion-to-slack", Events.conversion(6, "640.00"))))
                .isEqualTo("the purchase does not make its customer VIP");
        assertThat(skipReason(deliver("direct:conversion-to-slack", Events.conversion(4, "380.00"))))
                .isEqualTo("the purchase does not make its customer VIP");
        MockEndpoint.assertIsSatisfied(context);
        assertThat(enlisted.getExchanges().get(0).getMessage().getBody(PlatformRequest.class).body().get("text").asText())
                .isEqualTo("VIP customer: Lucia Martin reached EUR 520 in purchases");
    }
}

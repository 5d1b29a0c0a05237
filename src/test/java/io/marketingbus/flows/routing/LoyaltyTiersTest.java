package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.marketingbus.event.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * The conversion flow's loyalty router (routes/flows/conversion.camel.yaml): the tier first (VIP once the
 * customer's total reaches loyalty.vip-amount, else first or repeat purchase), then the provider. Mailchimp's
 * requests are enlisted for its batch; ActiveCampaign's connector is called directly (here a mock).
 */
class LoyaltyTiersTest extends RouterTestSupport {

    static final String ACTIVECAMPAIGN = "mock:direct:activecampaign-api";

    @Override
    String flowFile() {
        return "routes/flows/conversion.camel.yaml";
    }

    @Override
    String routes() {
        return "conversion-to-loyalty,loyalty-mailchimp,loyalty-activecampaign";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("loyalty.provider", "mailchimp", "loyalty.vip-amount", "500");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("MailchimpLoyalty", new Mailchimp());
        registry.bind("ActiveCampaignLoyalty", new ActiveCampaign());
    }

    @Override
    void advise() throws Exception {
        AdviceWith.adviceWith(context, "loyalty-activecampaign", route -> route.mockEndpointsAndSkip("direct:activecampaign-api"));
    }

    Exchange purchase(int purchaseNumber, String customerTotal) {
        return deliver("direct:conversion-to-loyalty", Events.conversion(purchaseNumber, customerTotal));
    }

    void expectMailchimpTag(String tier) {
        MockEndpoint enlisted = enlisted();
        enlisted.expectedBodiesReceived(Mailchimp.MEMBER_UPSERT, Mailchimp.tag(tier));
        enlisted.expectedHeaderValuesReceivedInAnyOrder(CONNECTOR, "direct:mailchimp-marketing", "direct:mailchimp-marketing");
    }

    @Test
    void aCustomerWhoseTotalReachesTheVipAmountIsTaggedVip() throws Exception {
        start();
        expectMailchimpTag("vip");

        purchase(4, "500");

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aFirstPurchaseThatReachesTheVipAmountIsVipRatherThanFirst() throws Exception {
        start();
        expectMailchimpTag("vip");

        purchase(1, "650");

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aFirstPurchaseBelowTheVipAmountIsTaggedFirst() throws Exception {
        start();
        expectMailchimpTag("first");

        purchase(1, "120");

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aLaterPurchaseBelowTheVipAmountIsTaggedRepeat() throws Exception {
        start();
        expectMailchimpTag("repeat");

        purchase(2, "499.99");

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void withActiveCampaignTheContactIsSyncedThenAddedToItsTiersAutomation() throws Exception {
        start("loyalty.provider", "activecampaign");
        getMockEndpoint(ACTIVECAMPAIGN).expectedBodiesReceived(ActiveCampaign.SYNC, ActiveCampaign.automation("repeat"));
        enlisted().expectedMessageCount(0);

        purchase(2, "240");

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void withNoLoyaltyProviderThePurchaseIsSkipped() throws Exception {
        start("loyalty.provider", "none");
        getMockEndpoint(ACTIVECAMPAIGN).expectedMessageCount(0);
        enlisted().expectedMessageCount(0);

        Exchange done = purchase(1, "120");

        assertThat(skipReason(done)).isEqualTo("no loyalty provider");
        MockEndpoint.assertIsSatisfied(context);
    }

    /** Stands in for MailchimpLoyalty: the member upsert, then the tag of the tier it was given. */
    public static final class Mailchimp {
        static final String MEMBER_UPSERT = "member upsert";

        static String tag(String tier) {
            return "tag " + tier;
        }

        public String memberUpsert(CloudEvent conversion) {
            return MEMBER_UPSERT;
        }

        public String tag(CloudEvent conversion, String tier) {
            return tag(tier);
        }
    }

    /** Stands in for ActiveCampaignLoyalty: the contact sync, then the automation of the tier it was given. */
    public static final class ActiveCampaign {
        static final String SYNC = "contact sync";

        static String automation(String tier) {
            return "automation " + tier;
        }

        public String sync(CloudEvent conversion) {
            return SYNC;
        }

        public String automation(Object syncResponse, String tier) {
            return automation(tier);
        }
    }
}

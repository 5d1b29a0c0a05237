package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventTypes;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * The opportunity flow's content-based router (routes/flows/opportunity.camel.yaml): consent, activated pipelines
 * and stages, then the high-value or standard tier, which picks the Meta Custom Audience and the Google Ads
 * Customer Match user list. What reaches a platform is the request enlisted for its connector.
 */
class OpportunityRulesTest extends RouterTestSupport {

    static final String AUDIENCE = "23851234567890123";
    static final String HIGH_VALUE_AUDIENCE = "23859999999999999";
    static final String USER_LIST = "987654321";
    static final String HIGH_VALUE_USER_LIST = "987654322";

    @Override
    String flowFile() {
        return "routes/flows/opportunity.camel.yaml";
    }

    @Override
    String routes() {
        return "opportunity-rules,opportunity-to-facebook,opportunity-to-google-ads,facebook-activate,google-ads-activate";
    }

    @Override
    Map<String, String> settings() {
        return Map.of(
                "opportunity.pipelines", "default,renewals",
                "opportunity.stages", "contractsent,closedwon",
                "opportunity.high-value-amount", "10000",
                "facebook.audience-id", AUDIENCE,
                "facebook.high-value-audience-id", HIGH_VALUE_AUDIENCE,
                "google-ads.user-list-id", USER_LIST,
                "google-ads.high-value-user-list-id", HIGH_VALUE_USER_LIST);
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("FacebookAdsTranslator", new FacebookAds());
        registry.bind("GoogleAdsTranslator", new GoogleAds());
    }

    /** An updated deal of an activated pipeline and stage, with the contact's consent: only the amount varies. */
    static CloudEvent consentedDeal(String amount) {
        return Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, true, "default", "contractsent", amount);
    }

    Exchange toMeta(CloudEvent event) {
        return deliver("direct:opportunity-to-facebook", event);
    }

    Exchange toGoogleAds(CloudEvent event) {
        return deliver("direct:opportunity-to-google-ads", event);
    }

    void expectNothingEnlisted() {
        enlisted().expectedMessageCount(0);
    }

    void expectEnlisted(String connector, Object... requests) {
        MockEndpoint enlisted = enlisted();
        enlisted.expectedBodiesReceived(requests);
        enlisted.expectedHeaderValuesReceivedInAnyOrder(CONNECTOR, Collections.nCopies(requests.length, connector).toArray());
    }

    @Test
    void aContactWithoutAdPersonalisationConsentIsSkipped() throws Exception {
        start();
        expectNothingEnlisted();

        Exchange done = toMeta(Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, false, "default", "contractsent", "50000"));

        assertThat(skipReason(done)).isEqualTo("no ad-personalisation consent");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aContactWhoseConsentIsUnknownIsSkippedLikeOneWhoRefused() throws Exception {
        start();
        expectNothingEnlisted();

        Exchange done = toMeta(Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, null, "default", "contractsent", "50000"));

        assertThat(skipReason(done)).isEqualTo("no ad-personalisation consent");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aDealInAPipelineThatIsNotActivatedIsSkipped() throws Exception {
        start();
        expectNothingEnlisted();

        Exchange done = toMeta(Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, true, "partners", "contractsent", "50000"));

        assertThat(skipReason(done)).isEqualTo("pipeline not activated");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aDealInAStageThatIsNotActivatedIsSkipped() throws Exception {
        start();
        expectNothingEnlisted();

        Exchange done = toMeta(Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, true, "renewals", "appointmentscheduled", "50000"));

        assertThat(skipReason(done)).isEqualTo("stage not activated");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void withNoPipelinesOrStagesConfiguredEveryPipelineAndStageIsActivated() throws Exception {
        start("opportunity.pipelines", "", "opportunity.stages", "");
        expectEnlisted("direct:facebook-graph", FacebookAds.users(AUDIENCE));

        Exchange done = toMeta(Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, true, "partners", "appointmentscheduled", "500"));

        assertThat(skipReason(done)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aDealWorthTheHighValueAmountJoinsTheHighValueAudienceOnMeta() throws Exception {
        start();
        expectEnlisted("direct:facebook-graph", FacebookAds.users(HIGH_VALUE_AUDIENCE));

        Exchange done = toMeta(consentedDeal("10000"));

        assertThat(skipReason(done)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aDealBelowTheHighValueAmountJoinsTheStandardAudienceOnMeta() throws Exception {
        start();
        expectEnlisted("direct:facebook-graph", FacebookAds.users(AUDIENCE));

        toMeta(consentedDeal("9999.99"));

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aNewDealAlsoBecomesAMetaLeadAfterItsAudience() throws Exception {
        start();
        CloudEvent created = Events.opportunity(EventTypes.OPPORTUNITY_CREATED, true, "default", "contractsent", "500");
        expectEnlisted("direct:facebook-graph", FacebookAds.users(AUDIENCE), FacebookAds.lead(created));

        toMeta(created);

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aDealWorthTheHighValueAmountJoinsTheHighValueUserListOnGoogleAds() throws Exception {
        start();
        expectEnlisted("direct:google-ads-api", GoogleAds.member(HIGH_VALUE_USER_LIST));

        Exchange done = toGoogleAds(consentedDeal("25000"));

        assertThat(skipReason(done)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aDealBelowTheHighValueAmountJoinsTheStandardUserListOnGoogleAds() throws Exception {
        start();
        expectEnlisted("direct:google-ads-api", GoogleAds.member(USER_LIST));

        toGoogleAds(consentedDeal("9999.99"));

        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void googleAdsAppliesTheSameRulesAsMeta() throws Exception {
        start();
        expectNothingEnlisted();

        Exchange done = toGoogleAds(Events.opportunity(EventTypes.OPPORTUNITY_UPDATED, false, "default", "contractsent", "50000"));

        assertThat(skipReason(done)).isEqualTo("no ad-personalisation consent");
        MockEndpoint.assertIsSatisfied(context);
    }

    /** Stands in for FacebookAdsTranslator: says which audience it was asked for, and a lead for new deals only. */
    public static final class FacebookAds {
        static String users(String audience) {
            return "users of audience " + audience;
        }

        static String lead(CloudEvent event) {
            return "lead for " + event.id();
        }

        public String toAudienceUsers(CloudEvent event, String audience) {
            return users(audience);
        }

        public String toLeadEvent(CloudEvent event) {
            return EventTypes.OPPORTUNITY_CREATED.equals(event.type()) ? lead(event) : null;
        }
    }

    /** Stands in for GoogleAdsTranslator: says which user list it was asked for. */
    public static final class GoogleAds {
        static String member(String userList) {
            return "member of user list " + userList;
        }

        public String userListMember(CloudEvent event, String userList) {
            return member(userList);
        }
    }
}

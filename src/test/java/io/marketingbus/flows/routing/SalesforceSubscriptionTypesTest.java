package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventTypes;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flow 1's Salesforce router (routes/flows/salesforce.camel.yaml): every contact event but an e-mail change is a
 * collections-upsert record for direct:salesforce-api; an e-mail change and anything else are skipped with a reason.
 */
class SalesforceSubscriptionTypesTest extends RouterTestSupport {

    @Override
    String flowFile() {
        return "routes/flows/salesforce.camel.yaml";
    }

    @Override
    String routes() {
        return "subscription-to-salesforce";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("salesforce.subscriptions.enabled", "true", "salesforce.conversions.enabled", "false");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("SalesforceContactTranslator", new SalesforceContacts());
    }

    Exchange toSalesforce(CloudEvent event) {
        return deliver("direct:subscription-to-salesforce", event);
    }

    @ParameterizedTest
    @ValueSource(strings = {EventTypes.CONTACT_SUBSCRIBED, EventTypes.CONTACT_UNSUBSCRIBED,
            EventTypes.CONTACT_PROFILE_UPDATED, EventTypes.CONTACT_CLEANED})
    void everyContactEventButAnEmailChangeBecomesAnUpsertRecord(String type) throws Exception {
        start();
        MockEndpoint enlisted = enlisted();
        enlisted.expectedBodiesReceived(SalesforceContacts.UPSERT);
        enlisted.expectedHeaderReceived(CONNECTOR, "direct:salesforce-api");

        Exchange done = toSalesforce(Events.contact(type));

        assertThat(skipReason(done)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anEmailChangeIsSkippedWithItsReason() throws Exception {
        start();
        enlisted().expectedMessageCount(0);

        Exchange done = toSalesforce(Events.contact(EventTypes.CONTACT_EMAIL_CHANGED));

        assertThat(skipReason(done)).isEqualTo("e-mail changes are not synced to Salesforce");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anEventThatIsNotAContactEventIsSkipped() throws Exception {
        start();
        enlisted().expectedMessageCount(0);

        Exchange done = toSalesforce(Events.opportunity(EventTypes.OPPORTUNITY_CREATED, true, "default", "contractsent", "500"));

        assertThat(skipReason(done)).isEqualTo("not a contact event");
        MockEndpoint.assertIsSatisfied(context);
    }

    /** Stands in for SalesforceContactTranslator: says which request it was asked for. */
    public static final class SalesforceContacts {
        static final String UPSERT = "lead upsert";

        public String toUpsert(CloudEvent event) {
            return UPSERT;
        }
    }
}

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
 * The subscription flow's router (routes/flows/subscription.camel.yaml): an e-mail change moves the HubSpot contact,
 * every other contact event is an upsert, anything else is skipped.
 */
class SubscriptionTypesTest extends RouterTestSupport {

    @Override
    String flowFile() {
        return "routes/flows/subscription.camel.yaml";
    }

    @Override
    String routes() {
        return "subscription-to-hubspot";
    }

    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("HubSpotContactTranslator", new HubSpotContacts());
    }

    Exchange toHubSpot(CloudEvent event) {
        return deliver("direct:subscription-to-hubspot", event);
    }

    void expectHubSpotRequest(String request) {
        MockEndpoint enlisted = enlisted();
        enlisted.expectedBodiesReceived(request);
        enlisted.expectedHeaderReceived(CONNECTOR, "direct:hubspot-crm");
    }

    @Test
    void anEmailChangeBecomesTheContactsEmailChangeRequest() throws Exception {
        start();
        expectHubSpotRequest(HubSpotContacts.EMAIL_CHANGE);

        toHubSpot(Events.contact(EventTypes.CONTACT_EMAIL_CHANGED));

        MockEndpoint.assertIsSatisfied(context);
    }

    @ParameterizedTest
    @ValueSource(strings = {EventTypes.CONTACT_SUBSCRIBED, EventTypes.CONTACT_UNSUBSCRIBED,
            EventTypes.CONTACT_PROFILE_UPDATED, EventTypes.CONTACT_CLEANED})
    void everyOtherContactEventBecomesAnUpsert(String type) throws Exception {
        start();
        expectHubSpotRequest(HubSpotContacts.UPSERT);

        Exchange done = toHubSpot(Events.contact(type));

        assertThat(skipReason(done)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anEventThatIsNotAContactEventIsSkipped() throws Exception {
        start();
        enlisted().expectedMessageCount(0);

        Exchange done = toHubSpot(Events.opportunity(EventTypes.OPPORTUNITY_CREATED, true, "default", "contractsent", "500"));

        assertThat(skipReason(done)).isEqualTo("not a contact event");
        MockEndpoint.assertIsSatisfied(context);
    }

    /** Stands in for HubSpotContactTranslator: says which request it was asked for. */
    public static final class HubSpotContacts {
        static final String UPSERT = "contact upsert";
        static final String EMAIL_CHANGE = "contact e-mail change";

        public String toUpsert(CloudEvent event) {
            return UPSERT;
        }

        public String toEmailChange(CloudEvent event) {
            return EMAIL_CHANGE;
        }
    }
}

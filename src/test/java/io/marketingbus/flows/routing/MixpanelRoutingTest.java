package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identity;
import io.marketingbus.platform.mixpanel.MixpanelTranslator;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * The Mixpanel flow's handlers (routes/flows/mixpanel.camel.yaml): hits, purchases and contact events become
 * requests for {@code direct:mixpanel-api}; a hit of only purchases, a test order and a non-contact event are
 * skipped with their reason.
 */
class MixpanelRoutingTest extends RouterTestSupport {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    String flowFile() {
        return "routes/flows/mixpanel.camel.yaml";
    }

    @Override
    String routes() {
        return "analytics-hit-to-mixpanel,identity-to-mixpanel,hit-events-to-mixpanel,conversion-to-mixpanel,contact-to-mixpanel";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("mixpanel.analytics.enabled", "true", "mixpanel.conversions.enabled", "true",
                "mixpanel.profiles.enabled", "true");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("MixpanelTranslator", new MixpanelTranslator("1", "token", "hs-contact-", Set.of("purchase")));
    }

    static CloudEvent hit(String... eventNames) {
        ObjectNode hit = MAPPER.createObjectNode().put("client_id", "123.456");
        for (String name : eventNames) {
            hit.withArray("events").addObject().put("name", name).putObject("params").put("value", 1);
        }
        return CloudEvent.of("ga4-hit-1", "/ga4/relay/hits", EventTypes.ANALYTICS_HIT, Events.TIME, "a".repeat(64),
                EventData.hit(hit));
    }

    PlatformRequest onlyEnlisted() {
        MockEndpoint enlisted = enlisted();
        assertThat(enlisted.getReceivedExchanges()).hasSize(1);
        assertThat(enlisted.getReceivedExchanges().get(0).getMessage().getHeader(CONNECTOR)).isEqualTo("direct:mixpanel-api");
        return enlisted.getReceivedExchanges().get(0).getMessage().getBody(PlatformRequest.class);
    }

    @Test
    void aHitsEventsAreEnlistedAsImportEventsButAHitOfOnlyPurchasesIsSkipped() throws Exception {
        start();

        Exchange sent = deliver("direct:analytics-hit-to-mixpanel", hit("page_view", "purchase"));
        PlatformRequest request = onlyEnlisted();
        Exchange skipped = deliver("direct:analytics-hit-to-mixpanel", hit("purchase"));

        assertThat(skipReason(sent)).isNull();
        assertThat(request.path()).isEqualTo("/import");
        assertThat(request.body()).hasSize(1);
        assertThat(request.body().get(0).get("event").asText()).isEqualTo("page_view");
        assertThat(skipReason(skipped)).isEqualTo("only purchases, sent from marketing.conversions");
        assertThat(enlisted().getReceivedExchanges()).hasSize(1);
    }

    @Test
    void aPurchaseIsEnlistedAndATestOrderIsSkipped() throws Exception {
        start();
        Contact lucia = new Contact(Events.LUCIA, "Lucia", "Martin", null, null, null, "51", null);
        Conversion testOrder = new Conversion("shopify", "T-9", new BigDecimal("1"), "EUR", null, null, null, null, 1,
                new BigDecimal("1"), "9", true, null, null);

        deliver("direct:conversion-to-mixpanel", Events.conversion(1, "120.00"));
        PlatformRequest request = onlyEnlisted();
        Exchange skipped = deliver("direct:conversion-to-mixpanel", CloudEvent.of("conv-T-9",
                EventSources.PURCHASE_RESOLVER, EventTypes.CONVERSION_PURCHASE, Events.TIME,
                EventData.conversion(lucia, testOrder)));

        assertThat(request.body().get(0).get("event").asText()).isEqualTo("Purchase");
        assertThat(request.body().at("/0/properties/$insert_id").asText()).isEqualTo("order-T-1001");
        assertThat(skipReason(skipped)).isEqualTo("a test order");
        assertThat(enlisted().getReceivedExchanges()).hasSize(1);
    }

    @Test
    void aContactEventIsAProfileSetAndAnythingElseOnTheTopicIsSkipped() throws Exception {
        start();

        deliver("direct:contact-to-mixpanel", Events.contact(EventTypes.CONTACT_UNSUBSCRIBED));
        PlatformRequest request = onlyEnlisted();
        Exchange skipped = deliver("direct:contact-to-mixpanel",
                Events.opportunity(EventTypes.OPPORTUNITY_CREATED, true, "default", "contractsent", "500"));

        assertThat(request.path()).isEqualTo("/engage");
        assertThat(request.body().at("/0/$set/email_status").asText()).isEqualTo("unsubscribed");
        assertThat(skipReason(skipped)).isEqualTo("not a contact event");
    }

    @Test
    void aTrackedIdentifyIsAProfileSetAnAliasAnIdentifyEventAndAnAnonymousIdentifyIsSkipped() throws Exception {
        start();
        Identity known = new Identity("u-1", "anon-1", null, Map.of("plan", "pro"));
        Identity anonymous = new Identity(null, "anon-2", null, Map.of("plan", "free"));
        Identity alias = new Identity("u-1", null, "anon-1", null);

        deliver("direct:analytics-hit-to-mixpanel", CloudEvent.of("seg-1", "/tracking/web",
                EventTypes.IDENTITY_IDENTIFIED, Events.TIME, known.key(), EventData.identity(known)));
        PlatformRequest profile = onlyEnlisted();
        Exchange skipped = deliver("direct:analytics-hit-to-mixpanel", CloudEvent.of("seg-2", "/tracking/web",
                EventTypes.IDENTITY_IDENTIFIED, Events.TIME, anonymous.key(), EventData.identity(anonymous)));
        deliver("direct:analytics-hit-to-mixpanel", CloudEvent.of("seg-3", "/tracking/web",
                EventTypes.IDENTITY_ALIASED, Events.TIME, alias.key(), EventData.identity(alias)));

        assertThat(profile.path()).isEqualTo("/engage");
        assertThat(profile.body().at("/0/$distinct_id").asText()).isEqualTo("u-1");
        assertThat(skipReason(skipped)).startsWith("only an anonymousId");
        assertThat(enlisted().getReceivedExchanges()).hasSize(2);
        PlatformRequest merge = enlisted().getReceivedExchanges().get(1).getMessage().getBody(PlatformRequest.class);
        assertThat(merge.path()).isEqualTo("/import");
        assertThat(merge.body().at("/0/event").asText()).isEqualTo("$identify");
        assertThat(merge.body().at("/0/properties/$device_id").asText()).isEqualTo("anon-1");
    }
}

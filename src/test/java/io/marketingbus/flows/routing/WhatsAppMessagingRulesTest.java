package io.marketingbus.flows.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventData;
import io.marketingbus.event.EventSources;
import io.marketingbus.platform.whatsapp.WhatsAppContacts;
import io.marketingbus.platform.whatsapp.WhatsAppTemplates;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.whatsapp.model.TemplateMessageRequest;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * The messaging flow's WhatsApp handler (routes/flows/messaging.camel.yaml): a template goes to the connector only
 * for an opted-in number; any other purchase is skipped with the reason.
 */
class WhatsAppMessagingRulesTest extends RouterTestSupport {

    static final String CONNECTOR_MOCK = "mock:direct:whatsapp-messages";
    final Map<String, WhatsAppContacts.State> states = new HashMap<>();

    @Override
    String flowFile() {
        return "routes/flows/messaging.camel.yaml";
    }

    @Override
    String routes() {
        return "conversion-to-whatsapp";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("whatsapp.conversions.enabled", "true", "whatsapp.webhook.enabled", "true",
                "bus.topics.state", "marketing.state");
    }

    @Override
    void bindPlatformBeans(Registry registry) {
        registry.bind("WhatsAppTemplates", new WhatsAppTemplates(Map.of("first", "loyalty_welcome"), Map.of(), "", "es_ES",
                new BigDecimal("500"), p -> states.getOrDefault(p, WhatsAppContacts.State.NONE)));
    }

    @Override
    void advise() throws Exception {
        AdviceWith.adviceWith(context, "conversion-to-whatsapp", route -> route.mockEndpointsAndSkip("direct:whatsapp-messages"));
    }

    static CloudEvent purchase(int number, String phone) {
        Contact contact = new Contact(Events.LUCIA, "Lucia", "Martin", phone, null, null, "51", null);
        Conversion c = new Conversion("ga4", "T-1001", new BigDecimal("120.00"), "EUR", null, null, null, null, number,
                new BigDecimal("120.00"));
        return CloudEvent.of("conv-T-1001", EventSources.PURCHASE_RESOLVER, "marketing.conversion.purchase", Events.TIME,
                EventData.conversion(contact, c));
    }

    @Test
    void anOptedInNumbersFirstPurchaseGoesToTheConnector() throws Exception {
        states.put("+34600112233", new WhatsAppContacts.State(true, false, Events.TIME, null, null, null));
        start();
        MockEndpoint connector = getMockEndpoint(CONNECTOR_MOCK);
        connector.expectedMessageCount(1);

        Exchange done = deliver("direct:conversion-to-whatsapp", purchase(1, "+34600112233"));

        MockEndpoint.assertIsSatisfied(context);
        assertThat(skipReason(done)).isNull();
        TemplateMessageRequest sent = connector.getReceivedExchanges().get(0).getMessage().getBody(TemplateMessageRequest.class);
        assertThat(sent.getTo()).isEqualTo("34600112233");
        assertThat(sent.getTemplate().getName()).isEqualTo("loyalty_welcome");
    }

    @Test
    void withoutAnOptInThePurchaseIsSkippedWithTheReason() throws Exception {
        start();
        getMockEndpoint(CONNECTOR_MOCK).expectedMessageCount(0);

        Exchange done = deliver("direct:conversion-to-whatsapp", purchase(1, "+34600112233"));

        MockEndpoint.assertIsSatisfied(context);
        assertThat(skipReason(done)).isEqualTo("no WhatsApp opt-in recorded for the number");
    }

    @Test
    void aTierWithoutTemplateIsSkipped() throws Exception {
        states.put("+34600112233", new WhatsAppContacts.State(true, false, Events.TIME, null, null, null));
        start();
        getMockEndpoint(CONNECTOR_MOCK).expectedMessageCount(0);

        Exchange done = deliver("direct:conversion-to-whatsapp", purchase(2, "+34600112233"));

        MockEndpoint.assertIsSatisfied(context);
        assertThat(skipReason(done)).contains("no WhatsApp template for the repeat tier");
    }
}

package io.marketingbus.flows.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.marketingbus.delivery.DeliveredEvents;
import io.marketingbus.delivery.DeliveryEnvelope;
import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.EventCodec;
import io.marketingbus.event.EventSchemas;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * A flow's routers on their own, in a plain CamelContext: the shipped route files are loaded (with the route
 * configurations and the delivery template they refer to), but only the routes a test names are created, so the
 * Kafka consumers made from the kafka-delivery template, and anything else that needs a broker or HTTP, stay out.
 *
 * <p>An event reaches its handler as in a delivery: its record opened by the real {@link DeliveryEnvelope} (which
 * also records a skip). {@code DeliveryBatches} is a stub that hands every enlisted request to {@link #ENLISTED}
 * with its connector in the {@link #CONNECTOR} header; the platform translators are stubs whose answers say which
 * method was called with what. Each test starts the context itself ({@link #start}), after any setting of its own.
 */
abstract class RouterTestSupport extends CamelTestSupport {

    static final EventCodec CODEC = new EventCodec(new EventSchemas());
    /** Every request the routes enlist for a batch, in order. */
    static final String ENLISTED = "mock:enlisted";
    static final String CONNECTOR = "connector";

    private final DeliveryEnvelope envelope = new DeliveryEnvelope(CODEC, new NothingDeliveredYet());

    /** The flow file under test, e.g. {@code routes/flows/opportunity.camel.yaml}. */
    abstract String flowFile();

    /** The route ids to create from it, a route filter pattern (comma-separated, wildcards allowed). */
    abstract String routes();

    /** The settings the routes read, as the operator would give them; a test may override any with {@link #start}. */
    abstract Map<String, String> settings();

    /** The platform beans the routes call, stubs bound under their class names as the descriptors bind them. */
    abstract void bindPlatformBeans(Registry registry);

    /** AdviceWith changes made before the context starts (connector endpoints replaced by mocks). */
    void advise() throws Exception {
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        // the context starts in start(), once a test's own settings are in
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withRouteFilterIncludePattern(routes());
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("DeliveryEnvelope", envelope);
        registry.bind("DeliveryBatches", new EnlistingBatches());
        bindPlatformBeans(registry);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>();
        for (String file : List.of("routes/config/delivery-errors.camel.yaml", "routes/connectors/kafka-delivery.camel.yaml",
                flowFile())) {
            builders.addAll(PluginHelper.getRoutesLoader(context)
                    .findRoutesBuilders(ResourceHelper.resolveMandatoryResource(context, "classpath:" + file)));
        }
        return builders.toArray(RoutesBuilder[]::new);
    }

    /** Starts the routes with {@link #settings()}, then the given key, value pairs over them. */
    void start(String... overrides) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(settings());
        for (int i = 0; i < overrides.length; i += 2) {
            all.put(overrides[i], overrides[i + 1]);
        }
        Properties properties = new Properties();
        properties.putAll(all);
        context.getPropertiesComponent().setOverrideProperties(properties);
        advise();
        context.start();
    }

    /** Sends the event to a handler as a delivery does, and returns the exchange as the handler left it. */
    Exchange deliver(String handler, CloudEvent event) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(DeliveryExchange.DESTINATION, "router-test");
        exchange.getMessage().setBody(CODEC.toJson(event));
        envelope.open(exchange);
        Exchange done = template.send(handler, exchange);
        if (done.getException() != null) {
            throw new AssertionError("the route failed", done.getException());
        }
        return done;
    }

    MockEndpoint enlisted() {
        MockEndpoint mock = getMockEndpoint(ENLISTED);
        // the routes are synchronous: whatever was to come has come when deliver returns
        mock.setResultWaitTime(1);
        return mock;
    }

    static String skipReason(Exchange exchange) {
        return exchange.getProperty(DeliveryExchange.SKIP_REASON, String.class);
    }

    /** Stands in for DeliveryBatches: an enlisted request goes to {@link #ENLISTED}, its connector in a header. */
    public final class EnlistingBatches {
        public void enlist(Exchange exchange, String connector) {
            template.sendBodyAndHeader(ENLISTED, exchange.getMessage().getBody(), CONNECTOR, connector);
        }
    }

    /** No event has been delivered before: the router sees every event for the first time. */
    private static final class NothingDeliveredYet extends DeliveredEvents {
        NothingDeliveredYet() {
            super(null, null, 0);
        }

        @Override
        public boolean contains(String topic, String eventId) {
            return false;
        }
    }
}

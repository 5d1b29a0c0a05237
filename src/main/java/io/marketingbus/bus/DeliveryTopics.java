package io.marketingbus.bus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.marketingbus.config.Settings;
import io.marketingbus.delivery.DeliveryRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.VetoCamelContextStartException;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The topics each delivery needs, derived from its {@code kafka-delivery} instance rather than listed by hand: the
 * flow topic it consumes, its dead-letter topic {@code <topic>.<destination>.dlq} and its delivered-ids topic
 * {@code <topic>.<destination>.delivered}. They are created before the context starts any route (a producer or
 * consumer of a missing topic waits a minute, and the broker creates none on its own), and at once for a delivery
 * added later (a flow file reloaded in dev).
 */
public final class DeliveryTopics extends LifecycleStrategySupport implements ModelLifecycleStrategy {

    private final CamelContext context;
    private final Settings settings;
    private final Map<String, BusTopics.Topic> pending = new LinkedHashMap<>();
    private boolean starting;

    public DeliveryTopics(CamelContext context, Settings settings) {
        this.context = context;
        this.settings = settings;
    }

    /** The topics of one delivery (flow topic, dead letters, delivered ids). */
    public static List<BusTopics.Topic> of(String topic, String destination, Settings settings) {
        List<BusTopics.Topic> topics = new ArrayList<>();
        topics.add(BusTopics.Topic.flow(topic, settings));
        topics.add(BusTopics.Topic.deadLetter(topic + "." + destination + ".dlq", settings));
        topics.add(BusTopics.Topic.delivered(topic + "." + destination + ".delivered", settings));
        return topics;
    }

    @Override
    public synchronized void onAddRouteDefinition(RouteDefinition route) {
        if (!DeliveryRoutes.isDelivery(route)) {
            return;
        }
        Map<String, Object> parameters = route.getTemplateParameters();
        for (BusTopics.Topic topic : of(String.valueOf(parameters.get("topic")),
                String.valueOf(parameters.get("destination")), settings)) {
            pending.putIfAbsent(topic.name(), topic);
        }
        if (starting) {
            createPending();
        }
    }

    @Override
    public synchronized void onContextStarting(CamelContext starting) throws VetoCamelContextStartException {
        this.starting = true;
        createPending();
    }

    private void createPending() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            BusTopics.ensure(context.resolvePropertyPlaceholders("{{camel.component.kafka.brokers}}"),
                    List.copyOf(pending.values()), (short) settings.getInt("bus.topics.replication-factor", 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the delivery topics", e);
        }
        pending.clear();
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
    }

    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
    }
}

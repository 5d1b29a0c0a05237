package io.marketingbus.ops;

import java.util.HashSet;
import java.util.Set;

import io.marketingbus.delivery.DeliveryRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;

/**
 * Camel's Micrometer route timings ({@code camel_exchanges_*}, {@code camel_route_policy_*} per route id, on
 * {@code /observe/metrics}) for every route but the ones a delivery runs once per <em>event</em>: its
 * {@code <delivery>-item} route and its handler route. Timing those cost a share of the CPU per event (a timer
 * sample and its property on every exchange, twice); what an operator watches per event is on the bus's own meters
 * ({@code marketing_bus_delivery_events_total}, {@code marketing_bus_delivery_latency_seconds}), and JMX still
 * counts every route's exchanges. Per-batch and per-call routes (the delivery itself, connectors, ingress) keep
 * their timings.
 */
public final class RouteTimings extends MicrometerRoutePolicyFactory {

    public RouteTimings(CamelContext context, MeterRegistry meters) {
        setCamelContext(context);
        setMeterRegistry(meters);
        // per route, not also a context-wide aggregate (which doubled the work of every exchange)
        getPolicyConfiguration().setContextEnabled(false);
        getPolicyConfiguration().setRouteEnabled(true);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (perEvent(context, routeId, route)) {
            return null;
        }
        return super.createRoutePolicy(context, routeId, route);
    }

    /** A delivery's item route, or a route consuming from a delivery's handler endpoint. */
    static boolean perEvent(CamelContext context, String routeId, NamedNode route) {
        if (routeId != null && routeId.endsWith("-item")) {
            return true;
        }
        if (!(route instanceof RouteDefinition definition) || definition.getInput() == null) {
            return false;
        }
        return handlers(context).contains(definition.getInput().getEndpointUri());
    }

    private static Set<String> handlers(CamelContext context) {
        Set<String> handlers = new HashSet<>();
        for (RouteDefinition definition : ((ModelCamelContext) context).getRouteDefinitions()) {
            if (DeliveryRoutes.isDelivery(definition)) {
                handlers.add(String.valueOf(definition.getTemplateParameters().get("handler")));
            }
        }
        return handlers;
    }
}

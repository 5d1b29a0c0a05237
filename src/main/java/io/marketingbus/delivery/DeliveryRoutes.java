package io.marketingbus.delivery;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;

/**
 * Completes every route made from the {@code kafka-delivery} template (a {@code templatedRoute} in a flow file), so
 * that a new destination stays one {@code templatedRoute}:
 * <ul>
 * <li>its own item and dead-letter routes, {@code <delivery>-item} and {@code <delivery>-dead-letter} from the
 * {@code delivery-item} and {@code delivery-dead-letter} templates, so that JMX shows each destination's records and
 * dead letters apart (one shared route would mix every destination's counters);</li>
 * <li>processor ids prefixed with the route id ({@code deliver-subscriptions-to-hubspot-deliver-batch}), instead of
 * Camel's {@code route-1...} for template instances (every template instance gets this, connectors too);</li>
 * <li>its {@code enabled} parameter as auto-startup: Camel's YAML DSL schema types {@code autoStartup} as a boolean,
 * so the template cannot carry the placeholder itself (a placeholder there is flagged by Kaoto and VS Code).</li>
 * </ul>
 * Every templated route's description gets its parameters filled in. Runs whenever a route definition is added, so
 * a flow file reloaded in dev gets its item routes too.
 */
public final class DeliveryRoutes extends ModelLifecycleStrategySupport {

    static final String ITEM_TEMPLATE = "delivery-item";
    static final String DEAD_LETTER_TEMPLATE = "delivery-dead-letter";

    private final CamelContext context;

    public DeliveryRoutes(CamelContext context) {
        this.context = context;
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        describe(route);
        if (route.isCreatedFromTemplate() && route.getRouteId() != null && route.getNodePrefixId() == null) {
            // every template instance's steps carry its route id (hubspot-crm-limit-rate), not Camel's route-1...
            route.setNodePrefixId(route.getRouteId() + "-");
        }
        if (!isDelivery(route)) {
            return;
        }
        String delivery = route.getRouteId();
        if (route.getAutoStartup() == null) {
            // resolved with the template's parameters when the route is created, as a placeholder in the YAML would be
            route.setAutoStartup("{{enabled}}");
        }
        String handler = String.valueOf(route.getTemplateParameters().get("handler"));
        add(ITEM_TEMPLATE, delivery, delivery + "-item", Map.of("handler", handler));
        add(DEAD_LETTER_TEMPLATE, delivery, delivery + "-dead-letter", Map.of());
    }

    private void add(String template, String delivery, String routeId, Map<String, String> parameters) {
        if (context.getRoute(routeId) != null
                || ((org.apache.camel.model.ModelCamelContext) context).getRouteDefinition(routeId) != null) {
            return;
        }
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, template).routeId(routeId)
                .prefixId(routeId + "-").parameter("delivery", delivery);
        parameters.forEach(builder::parameter);
        builder.add();
    }

    /**
     * Camel shows a route's description as written, placeholders and all: a templated route's description gets its
     * parameters ("Delivers marketing.subscriptions to hubspot ..." rather than "Delivers {{topic}} to ...").
     */
    static void describe(RouteDefinition route) {
        String description = route.getDescription();
        if (!route.isCreatedFromTemplate() || description == null || route.getTemplateParameters() == null) {
            return;
        }
        for (var parameter : route.getTemplateParameters().entrySet()) {
            description = description.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
        }
        route.setDescription(description);
    }

    /** A route made from {@code kafka-delivery}: the template's documented parameters say so. */
    public static boolean isDelivery(RouteDefinition route) {
        return route.isCreatedFromTemplate() && route.getTemplateParameters() != null
                && route.getTemplateParameters().containsKey("handler")
                && route.getTemplateParameters().containsKey("topic")
                && route.getTemplateParameters().containsKey("destination") && route.getRouteId() != null;
    }
}

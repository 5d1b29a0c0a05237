package io.marketingbus.ingress;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetPropertyDefinition;

/**
 * The webhook routes the route files define ({@code platform-http} consumers, the dev sandbox aside), read from the
 * model rather than listed by hand: the path each serves, its route id and the platform it names in
 * {@code busPlatform}. The model exists before the HTTP server opens, so this is known while the routes start.
 */
public final class IngressRoutes {

    private static final String PREFIX = "platform-http:";

    /**
     * One ingress route.
     *
     * @param path     the fixed part of its path ({@code /webhooks/mailchimp/} for {@code /webhooks/mailchimp/{secret}})
     * @param template its whole path, as the route file gives it
     */
    public record IngressRoute(String routeId, String path, String template, String platform) {

        public boolean serves(String requestPath) {
            return requestPath != null && (path.endsWith("/") ? requestPath.startsWith(path) : requestPath.equals(path)
                    || requestPath.startsWith(path + "/"));
        }
    }

    private IngressRoutes() {
    }

    public static List<IngressRoute> of(CamelContext context) {
        List<IngressRoute> routes = new ArrayList<>();
        if (!(context instanceof ModelCamelContext model)) {
            return routes;
        }
        for (RouteDefinition route : model.getRouteDefinitions()) {
            String platform = platformOf(route);
            if (platform == null) {
                continue;
            }
            String path = route.getInput().getEndpointUri().substring(PREFIX.length());
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            String template = path;
            int parameter = path.indexOf('{');
            path = parameter < 0 ? path : path.substring(0, parameter);
            routes.add(new IngressRoute(route.getRouteId(), path, template, platform));
        }
        return routes;
    }

    /**
     * The platform an ingress route names in {@code busPlatform}, or null for a route that is no ingress route (not a
     * {@code platform-http} consumer, or one that names no platform, such as the dev sandbox).
     */
    public static String platformOf(RouteDefinition route) {
        String uri = route.getInput() == null ? null : route.getInput().getEndpointUri();
        if (uri == null || !uri.startsWith(PREFIX) || route.getRouteId() == null) {
            return null;
        }
        return platform(route.getOutputs());
    }

    /** The route serving a request path, or null. */
    public static IngressRoute serving(List<IngressRoute> routes, String requestPath) {
        for (IngressRoute route : routes) {
            if (route.serves(requestPath)) {
                return route;
            }
        }
        return null;
    }

    private static String platform(List<ProcessorDefinition<?>> steps) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof SetPropertyDefinition p && IngressExchange.PLATFORM.equals(p.getName())
                    && p.getExpression() != null) {
                return p.getExpression().getExpression();
            }
        }
        return null;
    }
}

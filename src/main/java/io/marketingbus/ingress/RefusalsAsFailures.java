package io.marketingbus.ingress;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Makes a refused webhook (4xx) or a 503 count as a failed exchange in the route's statistics (JMX
 * {@code ExchangesFailed}, {@code camel_exchanges_failed}), not as a completed one, while the sender still gets the
 * JSON answer {@link IngressResponses} prepared.
 * <p>
 * The {@code ingress-errors} route configuration answers in its {@code onException} without handling the exception
 * ({@code handled: false}), so the exception is still on the exchange when Camel records the route's statistics.
 * Camel then calls the route policies (after the statistics, before the HTTP consumer writes the answer): this one
 * takes the exception off again, so the consumer writes the prepared answer instead of a 500 with a stack trace.
 * Applied to every route using {@code ingress-errors}, so an ingress route cannot opt into one without the other.
 */
public final class RefusalsAsFailures implements RoutePolicyFactory {

    static final String ROUTE_CONFIGURATION = "ingress-errors";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (route instanceof RouteDefinition definition
                && ROUTE_CONFIGURATION.equals(definition.getRouteConfigurationId())) {
            return new AnswerPrepared();
        }
        return null;
    }

    /** Once the route's statistics are recorded: the prepared answer goes out, not the exception. */
    static final class AnswerPrepared extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getException() != null && exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE) != null) {
                exchange.setException(null);
            }
        }
    }
}

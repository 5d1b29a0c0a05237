package io.marketingbus.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.impl.engine.DefaultUnitOfWorkFactory;
import org.apache.camel.spi.UnitOfWork;

/**
 * Units of work as Camel makes them, but for the exchange of one event of a delivery batch: that one gets a plain
 * unit of work instead of Camel's MDC one ({@code camel.main.use-mdc-logging}). Setting and clearing the
 * {@code camel.*} MDC keys around every event cost a share of the CPU per event; the event's log lines still carry
 * the batch's {@code camel.routeId} (the delivery route, set on the consumer thread) and the bus's own
 * {@code eventId} and {@code destination} keys ({@link DeliveryEnvelope}). Every other exchange is unchanged.
 */
public final class EventUnitsOfWork extends DefaultUnitOfWorkFactory {

    private volatile CamelContext context;

    @Override
    public void afterPropertiesConfigured(CamelContext context) {
        super.afterPropertiesConfigured(context);
        this.context = context;
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        CamelContext configured = context;
        if (configured != null && exchange.getProperty(DeliveryExchange.BATCH_ITEM) != null) {
            return new DefaultUnitOfWork(exchange, configured.getInflightRepository(),
                    configured.isAllowUseOriginalMessage(), configured.isUseBreadcrumb());
        }
        return super.createUnitOfWork(exchange);
    }
}

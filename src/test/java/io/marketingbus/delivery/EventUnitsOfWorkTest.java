package io.marketingbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.MDCUnitOfWork;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** An event of a delivery batch gets a unit of work without Camel's MDC keys; every other exchange Camel's own. */
class EventUnitsOfWorkTest {

    @Test
    void onlyAnEventOfABatchLosesTheMdcUnitOfWork() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.setUseMDCLogging(true);
        EventUnitsOfWork units = new EventUnitsOfWork();
        units.afterPropertiesConfigured(context);

        Exchange webhook = new DefaultExchange(context);
        Exchange event = new DefaultExchange(context);
        event.setProperty(DeliveryExchange.BATCH_ITEM, new Object());

        UnitOfWork ofWebhook = units.createUnitOfWork(webhook);
        UnitOfWork ofEvent = units.createUnitOfWork(event);
        assertThat(ofWebhook).isInstanceOf(MDCUnitOfWork.class);
        assertThat(ofEvent).isNotInstanceOf(MDCUnitOfWork.class);
        context.close();
    }
}

package io.marketingbus.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Whatever an ingress route produces fits Kafka's record limit, or is refused with a 4xx that names the limit. */
class IngressRecordSizeTest {

    @Test
    void anEventOverTheBusRecordLimitIsRefusedWith413NamingTheLimit() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        BusRecord huge = new BusRecord("key", new byte[IngressExchange.MAX_RECORD_BYTES + 1]);
        assertThatThrownBy(() -> IngressExchange.prepareRecord(exchange, huge))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.deadLetter()).isTrue();
                    assertThat(e.getMessage()).contains(String.valueOf(IngressExchange.MAX_RECORD_BYTES));
                });
        IngressExchange.prepareRecord(exchange, new BusRecord("key", new byte[1000]));
        assertThat(exchange.getMessage().getBody(byte[].class)).hasSize(1000);
    }

    @Test
    void aDeadLetterOfAHugeRequestIsTruncatedWithANoteAndAHugeReasonShortened() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(IngressExchange.RAW_REQUEST, new byte[3_000_000]);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new WebhookRejectedException(400,
                "form field '" + "x".repeat(2_000_000) + "' conflicts with another field", true));
        new IngressDeadLetter().prepare(exchange);
        assertThat(exchange.getMessage().getBody(byte[].class)).hasSize(IngressDeadLetter.MAX_BODY_BYTES);
        assertThat(exchange.getMessage().getHeader("bus-dlq-truncated", String.class)).contains("3000000");
        assertThat(exchange.getMessage().getHeader("bus-dlq-reason", String.class)).hasSizeLessThan(1100);
    }
}

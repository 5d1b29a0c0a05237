package io.marketingbus.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The delivery error handler's {@code onExceptionOccurredRef} (routes/config/delivery-errors.camel.yaml): every
 * failure is counted by {@link DeliveryRetryPolicy#recordFailure} before the policy decides on a retry.
 */
public final class DeliveryFailureRecorder implements Processor {

    private final DeliveryRetryPolicy policy;

    public DeliveryFailureRecorder(DeliveryRetryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void process(Exchange exchange) {
        policy.recordFailure(exchange);
    }
}

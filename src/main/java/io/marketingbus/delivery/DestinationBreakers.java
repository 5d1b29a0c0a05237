package io.marketingbus.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.marketingbus.ops.BusMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Resilience4j circuit breaker per destination, fed with the outcome of every platform call. While a platform
 * keeps failing (transient failures only: a 4xx is the event's fault, not the platform's) the breaker opens; the
 * destination's consumer then holds its current event and waits, instead of spending its retries and filling the
 * dead-letter topic, and it goes on by itself once a probe call succeeds. Other destinations have their own
 * breakers and consumers and never notice. State: {@code marketing_bus_breaker_state{destination}} (0 closed,
 * 1 half-open, 2 open).
 */
public final class DestinationBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationBreakers.class);

    private final CircuitBreakerConfig config;
    private final MeterRegistry meters;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Duration maxHold;
    private final Duration openFor;

    /**
     * @param maxHold how long a consumer holds one event while its platform is down; past it the event is
     *                dead-lettered (replayable), so an event that itself makes the platform fail cannot stall the
     *                destination for ever
     */
    public DestinationBreakers(int minimumCalls, float failureRatePercent, Duration openFor, Duration maxHold,
                               MeterRegistry meters) {
        this.maxHold = maxHold;
        this.openFor = openFor;
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(minimumCalls, 10))
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(failureRatePercent)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        this.meters = meters;
    }

    public void failed(String destination, Throwable failure) {
        breaker(destination).onError(0, TimeUnit.MILLISECONDS, failure);
    }

    public void succeeded(String destination) {
        breaker(destination).onSuccess(0, TimeUnit.MILLISECONDS);
    }

    /** True while the platform is considered down: the consumer should wait, not give up on the event. */
    public boolean isOpen(String destination) {
        return breaker(destination).getState() != CircuitBreaker.State.CLOSED;
    }

    public Duration openFor() {
        return openFor;
    }

    public Duration maxHold() {
        return maxHold;
    }

    public CircuitBreaker.State state(String destination) {
        return breaker(destination).getState();
    }

    private CircuitBreaker breaker(String destination) {
        return breakers.computeIfAbsent(destination, d -> {
            CircuitBreaker breaker = CircuitBreaker.of(d, config);
            breaker.getEventPublisher().onStateTransition(e -> LOG.warn("{} breaker {}: {}", d,
                    e.getStateTransition().getToState(), e.getStateTransition().getToState() == CircuitBreaker.State.OPEN
                            ? "the platform keeps failing; deliveries wait" : "probing / delivering again"));
            BusMeters.breakerState(meters, d, breaker, b -> switch (b.getState()) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                default -> 2;
            });
            return breaker;
        });
    }
}

package io.marketingbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import io.marketingbus.event.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class DeliveryRetryPolicyTest {

    private final DestinationBreakers breakers = new DestinationBreakers(5, 50, Duration.ofSeconds(15),
            Duration.ofMinutes(30), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    private final DestinationPacing pacing = new DestinationPacing();
    private final DeliveryRetryPolicy policy = new DeliveryRetryPolicy(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
            breakers, pacing, Duration.ofMillis(100), Duration.ofSeconds(2),
            2.0, 4, Duration.ofSeconds(10));

    private static HttpOperationFailedException http(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("http://h/p", status, "status " + status, null, headers, "{}");
    }

    @Test
    void transientFailuresAreRetriedOthersAreNot() {
        assertThat(DeliveryRetryPolicy.isTransient(http(503, Map.of()))).isTrue();
        assertThat(DeliveryRetryPolicy.isTransient(http(500, Map.of()))).isTrue();
        assertThat(DeliveryRetryPolicy.isTransient(http(429, Map.of()))).isTrue();
        assertThat(DeliveryRetryPolicy.isTransient(http(408, Map.of()))).isTrue();
        assertThat(DeliveryRetryPolicy.isTransient(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(DeliveryRetryPolicy.isTransient(new RuntimeException(new IOException("reset")))).isTrue();

        assertThat(DeliveryRetryPolicy.isTransient(http(400, Map.of()))).isFalse();
        assertThat(DeliveryRetryPolicy.isTransient(http(401, Map.of()))).isFalse();
        assertThat(DeliveryRetryPolicy.isTransient(http(404, Map.of()))).isFalse();
        assertThat(DeliveryRetryPolicy.isTransient(new InvalidEventException("bad"))).isFalse();
        assertThat(DeliveryRetryPolicy.isTransient(new PlatformRejectedException("hubspot", 207, "partial", "{}"))).isFalse();
        assertThat(DeliveryRetryPolicy.isTransient(null)).isFalse();
    }

    @Test
    void refusedCredentialsHoldTheEventWithoutCountingItsAttempts() {
        Exception refused = new org.apache.camel.RuntimeCamelException(
                new io.marketingbus.platform.CredentialsRejectedException("hubspot", "invalid_grant"));
        assertThat(DeliveryRetryPolicy.isTransient(refused)).isTrue();
        assertThat(DeliveryRetryPolicy.isHeld(refused)).isTrue();
        // the destination waits one breaker period, then asks the token endpoint again; the breaker is not fed
        assertThat(policy.delayAfter("hubspot-creds", refused, 1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(breakers.isOpen("hubspot-creds")).isFalse();
        long firstFailure = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        // ten minutes and a hundred refusals later (attempts capped at 4, time at 10 s for failures): still held
        assertThat(policy.mayRetry("hubspot-creds", refused, 0, firstFailure, 0, 15_000)).isTrue();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeliveryExchange.DESTINATION, "hubspot-creds2");
        exchange.setException(refused);
        for (int attempt = 1; attempt <= 100; attempt++) {
            policy.recordFailure(exchange);
        }
        assertThat(policy.shouldRetry(exchange)).isTrue();
        // past the breaker's max hold, as for any hold
        long longAgo = System.currentTimeMillis() - Duration.ofMinutes(31).toMillis();
        assertThat(policy.mayRetry("hubspot-creds", refused, 0, longAgo, 0, 15_000)).isFalse();
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        for (int i = 0; i < 50; i++) {
            assertThat(policy.nextDelay(http(503, Map.of()), 1).toMillis()).isBetween(50L, 100L);
            assertThat(policy.nextDelay(http(503, Map.of()), 3).toMillis()).isBetween(200L, 400L);
            assertThat(policy.nextDelay(http(503, Map.of()), 20).toMillis()).isBetween(1000L, 2000L);
        }
    }

    @Test
    void retryAfterOverridesTheBackoff() {
        assertThat(policy.nextDelay(http(429, Map.of("Retry-After", "7")), 1)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.nextDelay(http(503, Map.of("retry-after", "0")), 1)).isEqualTo(Duration.ZERO);
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
        assertThat(DeliveryRetryPolicy.parseRetryAfter(inFiveSeconds).toMillis()).isBetween(3000L, 5000L);
        assertThat(DeliveryRetryPolicy.parseRetryAfter("soon")).isNull();
    }

    @Test
    void stopsAfterMaxAttempts() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setException(http(503, Map.of()));
        for (int attempt = 1; attempt <= 3; attempt++) {
            policy.recordFailure(exchange);
            assertThat(policy.shouldRetry(exchange)).as("after failed attempt %d", attempt).isTrue();
        }
        policy.recordFailure(exchange);
        assertThat(exchange.getProperty(DeliveryExchange.ATTEMPTS)).isEqualTo(4);
        assertThat(policy.shouldRetry(exchange)).isFalse();
    }

    @Test
    void stopsWhenTheNextTryWouldPassTheMaximumElapsedTime() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setException(http(503, Map.of("Retry-After", "11")));
        policy.recordFailure(exchange);

        assertThat(policy.shouldRetry(exchange)).isFalse();
    }

    @Test
    void neverRetriesARejection() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setException(http(400, Map.of()));
        policy.recordFailure(exchange);

        assertThat(policy.shouldRetry(exchange)).isFalse();
        assertThat(exchange.getProperty(DeliveryExchange.FIRST_FAILURE_AT)).isNotNull();
    }

    @Test
    void rateLimitsNeverOpenTheBreakerNorStretchTheirWait() {
        for (int call = 1; call <= 10; call++) {
            Duration delay = policy.delayAfter("hubspot", http(429, Map.of("Retry-After", "3")), call);
            assertThat(delay).as("wait after 429 number %d", call).isLessThanOrEqualTo(Duration.ofSeconds(3));
        }

        assertThat(breakers.state("hubspot")).isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
    }

    @Test
    void aRateLimitPausesEveryCallOfItsDestinationOnly() {
        policy.delayAfter("hubspot", http(429, Map.of("Retry-After", "3")), 1);

        assertThat(pacing.remaining("hubspot")).isBetween(Duration.ofMillis(2000), Duration.ofSeconds(3));
        assertThat(pacing.remaining("facebook")).isZero();
    }

    @Test
    void aRateLimitWithoutRetryAfterBacksOffExponentially() {
        assertThat(policy.delayAfter("first", http(429, Map.of()), 1).toMillis()).isBetween(50L, 100L);
        assertThat(policy.delayAfter("third", http(429, Map.of()), 3).toMillis()).isBetween(200L, 400L);
        assertThat(breakers.state("third")).isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
    }

    @Test
    void aRateLimitedDeliveryIsHeldPastItsAttemptsAndTimeButNotPastTheMaxHold() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeliveryExchange.DESTINATION, "hubspot");
        exchange.setException(http(429, Map.of("Retry-After", "0")));
        for (int attempt = 1; attempt <= 20; attempt++) {
            policy.recordFailure(exchange);
            assertThat(policy.shouldRetry(exchange)).as("after 429 number %d", attempt).isTrue();
        }
        // an hour of 429s: more than the 30 min the destination's events may be held
        exchange.setProperty(DeliveryExchange.FIRST_FAILURE_AT, System.currentTimeMillis() - 3_600_000);
        policy.recordFailure(exchange);

        assertThat(policy.shouldRetry(exchange)).isFalse();
    }

    @Test
    void failuresAfterRateLimitsStillHaveTheirOwnAttemptsAndTime() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeliveryExchange.DESTINATION, "ga4");
        exchange.setException(http(429, Map.of("Retry-After", "0")));
        for (int attempt = 1; attempt <= 6; attempt++) {
            policy.recordFailure(exchange);
        }
        // six pauses took 9 s of the 10 s max elapsed: they do not count
        exchange.setProperty(DeliveryExchange.FIRST_FAILURE_AT, System.currentTimeMillis() - 9_000);
        exchange.setProperty(DeliveryRetryPolicy.PAUSED_MS, 9_000L);
        exchange.setException(http(500, Map.of("Retry-After", "1")));
        for (int failure = 1; failure <= 3; failure++) {
            policy.recordFailure(exchange);
            assertThat(policy.shouldRetry(exchange)).as("after failure %d", failure).isTrue();
        }
        policy.recordFailure(exchange);

        assertThat(policy.shouldRetry(exchange)).as("the fourth failure is the last of max-attempts 4").isFalse();
    }

    @Test
    void callsOfAPausedDestinationWaitOnEveryThread() throws Exception {
        long until = System.currentTimeMillis() + 300;
        pacing.pause("hubspot", Duration.ofMillis(300));
        java.util.concurrent.atomic.AtomicLong calledAt = new java.util.concurrent.atomic.AtomicLong();
        Thread other = new Thread(() -> {
            pacing.awaitTurn("hubspot");
            calledAt.set(System.currentTimeMillis());
        });
        other.start();
        other.join(10_000);

        assertThat(calledAt.get()).isGreaterThanOrEqualTo(until);
    }
}

package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.marketingbus.delivery.DeliveryExchange;
import io.marketingbus.ingress.IngressExchange;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Latency bookkeeping: measured from the bus's acceptance, the source's lag apart, and never a reason to fail. */
class BusMetersTest {

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    Timer timer(String name) {
        return meters.get(name).tag("destination", "hubspot").timer();
    }

    @Test
    void aYearOldEventDeliveredNowLandsInASmallLatencyBucketAndTheSourceLagShowsTheYear() {
        long acceptedAt = System.currentTimeMillis() - 1_500;
        String time = Instant.now().minus(Duration.ofDays(365)).toString();

        BusMeters.delivered(meters, "hubspot", acceptedAt, time);

        Timer latency = timer(BusMeters.DELIVERY_LATENCY);
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(TimeUnit.SECONDS)).isBetween(1.4, 60.0);
        CountAtBucket first = null;
        for (CountAtBucket bucket : latency.takeSnapshot().histogramCounts()) {
            if (bucket.count() >= 1) {
                first = bucket;
                break;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.bucket(TimeUnit.SECONDS)).isLessThanOrEqualTo(5);

        Timer lag = timer(BusMeters.SOURCE_LAG);
        assertThat(lag.count()).isEqualTo(1);
        assertThat(lag.totalTime(TimeUnit.DAYS)).isBetween(364.9, 365.1);
        assertThat(meters.scrape()).contains("marketing_bus_source_lag_seconds_bucket{destination=\"hubspot\",le=\"3.456E7\"} 1")
                .contains("marketing_bus_source_lag_seconds_bucket{destination=\"hubspot\",le=\"2592000.0\"} 0");
    }

    @Test
    void absurdOrUnreadableTimesAreIgnoredAndNeverThrow() {
        assertThatCode(() -> {
            BusMeters.delivered(meters, "hubspot", System.currentTimeMillis(), "2400-01-01T00:00:00Z");
            BusMeters.delivered(meters, "hubspot", Long.MIN_VALUE, "2026-01-15T09:31:07Z");
            BusMeters.delivered(meters, "hubspot", Long.MAX_VALUE, "+1000000000-12-31T23:59:59Z");
            BusMeters.delivered(meters, "hubspot", System.currentTimeMillis(), "yesterday");
            BusMeters.delivered(meters, "hubspot", null, "2026-01-15T09:31:07Z");
            BusMeters.delivered(meters, null, System.currentTimeMillis(), null);
        }).doesNotThrowAnyException();
        // the event from 2400 counts as no source lag (clocks apart), its delivery latency is real
        assertThat(timer(BusMeters.SOURCE_LAG).max(TimeUnit.SECONDS)).isLessThan(1);
        assertThat(timer(BusMeters.DELIVERY_LATENCY).max(TimeUnit.SECONDS)).isLessThan(60);
    }

    @Test
    void aRecordWhoseBookkeepingPropertiesAreWrongIsNotAFailure() {
        Exchange record = new DefaultExchange(new DefaultCamelContext());
        record.setProperty(IngressExchange.ACCEPTED_AT, "not a time");
        record.setProperty(DeliveryExchange.CLOUD_EVENT, "not an event");

        assertThatCode(() -> BusMeters.delivered(meters, "hubspot", record)).doesNotThrowAnyException();
    }
}

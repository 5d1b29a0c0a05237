package io.marketingbus.platform.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.platform.ga4.Ga4Reconciler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.marketingbus.support.MovableClock;
import org.junit.jupiter.api.Test;

/** Operational alerts from the bus's meters, de-duplicated so an outage does not flood the channel. */
class SlackAlertsTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MovableClock clock = new MovableClock("2026-01-01T00:00:00Z");
    final SlackAlerts alerts = new SlackAlerts(meters, new SlackMessages(""),
            new SlackRepeats(Duration.ofMinutes(30), clock), "C0ALERTS", 10, 0.95);

    @Test
    void aFlappingBreakerPostsOnceOpenedAndOnceClosedThenTheCountOfRepeats() {
        AtomicInteger hubspot = new AtomicInteger();
        BusMeters.breakerState(meters, "hubspot", hubspot, AtomicInteger::get);
        List<String> posted = new ArrayList<>();

        // an outage: 20 breaker events (10 opened, 10 closed), a check after each, within the window
        for (int i = 0; i < 20; i++) {
            hubspot.set(i % 2 == 0 ? 2 : 0);
            clock.advance(Duration.ofSeconds(30));
            texts(alerts.check(), posted);
        }

        assertThat(posted).containsExactly(":rotating_light: hubspot deliveries paused: its breaker opened",
                ":rotating_light: hubspot deliveries resumed: its breaker closed");

        clock.advance(Duration.ofMinutes(30));
        List<PlatformRequest> summaries = alerts.check();
        assertThat(summaries).hasSize(2);
        assertThat(summaries.get(0).body().at("/blocks/0/text/text").asText()).contains("9 more time(s) since");
        assertThat(alerts.check()).as("reported once").isEmpty();
    }

    @Test
    void aBreakerOpenAfterTheWindowIsPostedWithTheRepeatsHeldBack() {
        AtomicInteger hubspot = new AtomicInteger();
        BusMeters.breakerState(meters, "hubspot", hubspot, AtomicInteger::get);
        hubspot.set(2);
        assertThat(alerts.check()).hasSize(1);
        hubspot.set(0);
        alerts.check();
        hubspot.set(1);
        assertThat(alerts.check()).as("opened again within the window").isEmpty();
        hubspot.set(0);
        alerts.check();

        clock.advance(Duration.ofMinutes(31));
        hubspot.set(2);
        List<PlatformRequest> posts = alerts.check();

        assertThat(posts).extracting(p -> p.body().at("/blocks/0/text/text").asText())
                .anyMatch(t -> t.contains("its breaker opened") && t.contains("(1 repeat(s) held back before this one)"));
    }

    @Test
    void slacksOwnBreakerIsNotAnnouncedInSlack() {
        AtomicInteger slack = new AtomicInteger(2);
        BusMeters.breakerState(meters, "slack", slack, AtomicInteger::get);

        assertThat(alerts.check()).isEmpty();
    }

    @Test
    void deadLettersOverTheThresholdBetweenTwoChecks() {
        alerts.check();
        BusMeters.deliveryEvents(meters, "facebook", "dead_lettered").increment(9);
        assertThat(alerts.check()).as("9, under 10").isEmpty();
        BusMeters.deliveryEvents(meters, "facebook", "dead_lettered").increment(10);

        List<PlatformRequest> posts = alerts.check();

        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).body().get("text").asText()).isEqualTo(":rotating_light: 10 facebook deliveries dead-lettered");
        assertThat(posts.get(0).body().get("channel").asText()).isEqualTo("C0ALERTS");
    }

    @Test
    void ga4SyncAccuracyUnderItsTargetAndBack() {
        AtomicReference<Double> accuracy = new AtomicReference<>(Double.NaN);
        Gauge.builder(Ga4Reconciler.SYNC_ACCURACY, accuracy, AtomicReference::get).register(meters);
        assertThat(alerts.check()).as("before the first reconciliation").isEmpty();
        accuracy.set(0.98);
        assertThat(alerts.check()).isEmpty();
        accuracy.set(0.912);

        assertThat(texts(alerts.check(), new ArrayList<>()))
                .containsExactly(":rotating_light: GA4 sync accuracy 91.2% is under its 95.0% target");
        assertThat(alerts.check()).as("still low: no repeat").isEmpty();
        accuracy.set(0.99);
        assertThat(texts(alerts.check(), new ArrayList<>())).containsExactly(":rotating_light: GA4 sync accuracy back to 99.0%");
    }

    @Test
    void anAlertSlackDidNotTakeIsPostedAtTheNextCheck() {
        PlatformRequest alert = new SlackMessages("").alert("C0ALERTS", "t", "d");
        alerts.unsent(alert, new RuntimeException("429"));

        assertThat(alerts.check()).containsExactly(alert);
        assertThat(alerts.check()).isEmpty();
    }

    static List<String> texts(List<PlatformRequest> posts, List<String> into) {
        posts.forEach(p -> into.add(p.body().get("text").asText()));
        return into;
    }
}

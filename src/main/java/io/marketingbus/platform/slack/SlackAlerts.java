package io.marketingbus.platform.slack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.ops.BusMeters;
import io.marketingbus.platform.ga4.Ga4Reconciler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operational alerts (docs/platforms/slack.md §6), observed in the bus's own meters at every check
 * (routes/flows/notifications.camel.yaml, {@code slack.alerts.check-ms}): a destination's breaker opened or closed
 * ({@code marketing_bus_breaker_state}), more than {@code slack.alerts.dead-letters} events of one destination
 * dead-lettered since the last check ({@code marketing_bus_delivery_events{outcome=dead_lettered}}), and the GA4
 * sync accuracy under its target ({@code marketing_bus_ga4_sync_accuracy}). Each alert has a key; repeats within
 * {@code slack.alerts.repeat-minutes} are counted, not posted ({@link SlackRepeats}). Slack's own breaker and dead
 * letters are not announced in Slack. Each instance watches its own meters.
 */
public final class SlackAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(SlackAlerts.class);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static final int MAX_UNSENT = 20;

    private final MeterRegistry meters;
    private final SlackMessages messages;
    private final SlackRepeats repeats;
    private final String channel;
    private final int deadLetters;
    private final double ga4Target;
    private final Map<String, Boolean> breakerOpen = new HashMap<>();
    private final Map<String, Double> deadLettered = new HashMap<>();
    private final java.util.Deque<PlatformRequest> unsent = new java.util.ArrayDeque<>();
    private boolean ga4Low;

    public SlackAlerts(MeterRegistry meters, SlackMessages messages, SlackRepeats repeats, String channel,
                       int deadLetters, double ga4Target) {
        this.meters = meters;
        this.messages = messages;
        this.repeats = repeats;
        this.channel = channel;
        this.deadLetters = deadLetters;
        this.ga4Target = ga4Target;
    }

    /** The alerts to post now, repeats held back and reported once their window has passed. */
    public synchronized List<PlatformRequest> check() {
        List<PlatformRequest> posts = new ArrayList<>(unsent);
        unsent.clear();
        breakers(posts);
        deadLetters(posts);
        ga4(posts);
        for (SlackRepeats.Summary summary : repeats.due()) {
            posts.add(messages.alert(channel, summary.title() + " (repeated)", summary.suppressed()
                    + " more time(s) since " + HOUR.format(Instant.ofEpochMilli(summary.since())) + ". Last: "
                    + summary.details()));
        }
        return posts;
    }

    /**
     * An alert Slack did not take (rate-limited, down): posted again at the next check. At most {@link #MAX_UNSENT}
     * are kept; older ones are dropped with a log line.
     */
    public synchronized void unsent(PlatformRequest alert, Exception failure) {
        LOG.warn("Slack alert not posted ({}); tried again at the next check", failure == null ? "?" : failure.getMessage());
        unsent.addLast(alert);
        while (unsent.size() > MAX_UNSENT) {
            LOG.warn("Slack alert dropped: {} alerts wait already", MAX_UNSENT);
            unsent.removeFirst();
        }
    }

    private void breakers(List<PlatformRequest> posts) {
        for (Gauge gauge : meters.find(BusMeters.BREAKER_STATE).gauges()) {
            String destination = gauge.getId().getTag("destination");
            if (destination == null || destination.equals("slack")) {
                continue;
            }
            boolean open = gauge.value() > 0;
            Boolean was = breakerOpen.put(destination, open);
            if (open && !Boolean.TRUE.equals(was)) {
                post(posts, "breaker-opened:" + destination, destination + " deliveries paused: its breaker opened",
                        destination + " keeps failing; its deliveries wait and go on by themselves once a probe call "
                                + "succeeds (marketing_bus_breaker_state{destination=\"" + destination + "\"}).");
            } else if (!open && Boolean.TRUE.equals(was)) {
                post(posts, "breaker-closed:" + destination, destination + " deliveries resumed: its breaker closed",
                        destination + " answers again; held deliveries go on.");
            }
        }
    }

    private void deadLetters(List<PlatformRequest> posts) {
        for (Counter counter : meters.find(BusMeters.DELIVERY_EVENTS).tag("outcome", "dead_lettered").counters()) {
            String destination = counter.getId().getTag("destination");
            if (destination == null || destination.equals("slack")) {
                continue;
            }
            double now = counter.count();
            double before = deadLettered.getOrDefault(destination, 0.0);
            deadLettered.put(destination, now);
            long added = Math.round(now - before);
            if (added >= deadLetters) {
                post(posts, "dead-letters:" + destination, added + " " + destination + " deliveries dead-lettered",
                        "At least " + deadLetters + " since the last check. The reasons are on the destination's "
                                + "<topic>." + destination + ".dlq records (header bus-dlq-reason); replay them once "
                                + "fixed (docs/operations.md).");
            }
        }
    }

    private void ga4(List<PlatformRequest> posts) {
        Gauge gauge = meters.find(Ga4Reconciler.SYNC_ACCURACY).gauge();
        double accuracy = gauge == null ? Double.NaN : gauge.value();
        if (Double.isNaN(accuracy)) {
            return;
        }
        boolean low = accuracy < ga4Target;
        if (low && !ga4Low) {
            post(posts, "ga4-accuracy-low", String.format(Locale.ROOT, "GA4 sync accuracy %.1f%% is under its %.1f%% target",
                    accuracy * 100, ga4Target * 100), "The last reconciliation's missing transaction ids are in the "
                    + "log (Ga4Reconciler); marketing_bus_ga4_sync_accuracy.");
        } else if (!low && ga4Low) {
            post(posts, "ga4-accuracy-ok", String.format(Locale.ROOT, "GA4 sync accuracy back to %.1f%%", accuracy * 100),
                    String.format(Locale.ROOT, "At or above its %.1f%% target.", ga4Target * 100));
        }
        ga4Low = low;
    }

    private void post(List<PlatformRequest> posts, String key, String title, String details) {
        int held = repeats.admit(key, title, details);
        if (held < 0) {
            LOG.info("Slack alert {} held back: a repeat within the window", key);
            return;
        }
        posts.add(messages.alert(channel, title, held == 0 ? details
                : details + " (" + held + " repeat(s) held back before this one)"));
    }
}

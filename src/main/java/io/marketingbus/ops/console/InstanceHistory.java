package io.marketingbus.ops.console;

import java.time.Clock;
import java.time.Duration;

/**
 * What this instance measured of itself, in one-minute buckets over 7 days: its health (sampled every few seconds:
 * up or not) and how long its ingress took to answer. Per instance, unlike the delivery records every instance reads:
 * the uptime and latency KPIs are this instance's.
 */
public final class InstanceHistory {

    private final Clock clock;
    private final Minute[] minutes = new Minute[DeliveryStats.MINUTES];

    public InstanceHistory(Clock clock) {
        this.clock = clock;
    }

    /** One health sample: true when every health check answered UP. */
    public synchronized void health(boolean up) {
        Minute minute = minute();
        minute.samples++;
        if (up) {
            minute.up++;
        }
    }

    /** One ingress answer and how long it took from the request's arrival. */
    public synchronized void answered(long millis) {
        Minute minute = minute();
        if (minute.answers == null) {
            minute.answers = new LatencyHistogram();
        }
        minute.answers.record(Math.max(0, millis));
    }

    /** Health samples and answer times of the minutes in ({@code from}, {@code to}] before now. */
    public synchronized Measured measured(Duration fromAgo, Duration toAgo) {
        long now = DeliveryStats.minute(clock.millis());
        long from = now - Math.min(DeliveryStats.MINUTES, fromAgo.toMinutes());
        long to = now - toAgo.toMinutes();
        long samples = 0;
        long up = 0;
        LatencyHistogram answers = new LatencyHistogram();
        for (long m = Math.max(from + 1, to - DeliveryStats.MINUTES + 1); m <= to; m++) {
            Minute minute = minutes[(int) Math.floorMod(m, (long) DeliveryStats.MINUTES)];
            if (minute != null && minute.minute == m) {
                samples += minute.samples;
                up += minute.up;
                if (minute.answers != null) {
                    minute.answers.addTo(answers);
                }
            }
        }
        return new Measured(samples, up, answers.count(), answers.percentile(0.95));
    }

    private Minute minute() {
        long now = DeliveryStats.minute(clock.millis());
        int slot = (int) Math.floorMod(now, (long) DeliveryStats.MINUTES);
        Minute minute = minutes[slot];
        if (minute == null || minute.minute != now) {
            minute = new Minute(now);
            minutes[slot] = minute;
        }
        return minute;
    }

    /** @param p95Ms the 95th percentile of the answer times (20 % bins), null without answers */
    public record Measured(long healthSamples, long healthUp, long answers, Long p95Ms) {
    }

    private static final class Minute {
        final long minute;
        long samples;
        long up;
        LatencyHistogram answers;

        Minute(long minute) {
            this.minute = minute;
        }
    }
}

package io.marketingbus.ops.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketingbus.event.Identifiers;

/**
 * What the delivery records say, counted per flow and stage ({@code ingress:<platform>} or a destination) in
 * one-minute buckets over the last 7 days: received, rejected at ingress, filtered (skipped), delivered, retried and
 * dead-lettered, with reasons, end-to-end latencies (accepted → delivered of the same event, from the records'
 * {@code at}, in 10-minute histograms) and the last few event ids of each outcome. Memory is bounded: a fixed ring per
 * cell, at most {@value #MAX_REASONS} reasons per bucket, {@value #SAMPLES} samples per outcome, and a bounded map of
 * acceptance times. Fed on the records' reader thread: {@link #accept} only counts, never blocks.
 */
public final class DeliveryStats implements Consumer<JsonNode> {

    public static final int MINUTES = 7 * 24 * 60;
    static final int LATENCY_MINUTES = 10;
    static final int MAX_REASONS = 32;
    static final int SAMPLES = 10;
    public static final List<String> OUTCOMES = List.of("received", "rejected", "filtered", "delivered", "retried",
            "deadLettered");

    private final Clock clock;
    private final int maxAccepted;
    private final Map<String, Cell> cells = new TreeMap<>();
    private final Map<String, Long> acceptedAt;

    public DeliveryStats(Clock clock, int maxAccepted) {
        this.clock = clock;
        this.maxAccepted = maxAccepted;
        this.acceptedAt = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > DeliveryStats.this.maxAccepted;
            }
        };
    }

    /** One delivery record: counted in its cell's minute. */
    @Override
    public void accept(JsonNode record) {
        String stage = text(record, "stage");
        String outcome = outcome(text(record, "outcome"));
        Instant at = instant(text(record, "at"));
        if (stage == null || outcome == null || at == null) {
            return;
        }
        long nowMinute = minute(clock.millis());
        long atMillis = Math.min(at.toEpochMilli(), clock.millis());
        long minute = minute(atMillis);
        if (minute <= nowMinute - MINUTES) {
            return;
        }
        String eventId = text(record, "eventId");
        String type = text(record, "type");
        String flow = Flows.ofType(type);
        synchronized (this) {
            Cell cell = cells.computeIfAbsent(flow + "\u0000" + stage, k -> new Cell(flow, stage));
            Bucket bucket = cell.bucket(minute);
            bucket.count(outcome, reason(record));
            if ("received".equals(outcome) && eventId != null) {
                acceptedAt.put(eventId, at.toEpochMilli());
            } else if ("delivered".equals(outcome) && eventId != null) {
                Long accepted = acceptedAt.get(eventId);
                if (accepted != null) {
                    cell.latency(minute).record(Math.max(0, at.toEpochMilli() - accepted));
                }
            }
            cell.sample(outcome, eventId, type, at, reason(record));
        }
    }

    /** The record's outcome as the overview's column; null for outcomes it does not count. */
    static String outcome(String recorded) {
        if (recorded == null) {
            return null;
        }
        return switch (recorded) {
            case "accepted" -> "received";
            case "rejected" -> "rejected";
            case "skipped" -> "filtered";
            case "delivered" -> "delivered";
            case "retried" -> "retried";
            case "dead-lettered" -> "deadLettered";
            default -> null;
        };
    }

    /** Totals of every cell that saw anything in the last {@code window}, oldest minute excluded. */
    public synchronized List<Row> rows(Duration window) {
        long to = minute(clock.millis());
        long from = to - Math.min(MINUTES, Math.max(1, window.toMinutes()));
        List<Row> rows = new ArrayList<>();
        for (Cell cell : cells.values()) {
            Row row = cell.total(from, to);
            if (row.any()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The same totals per {@code step} of the window (the trend of a KPI): {@code series.get(i)} covers the minutes
     * ({@code from + i*step}, {@code from + (i+1)*step}].
     */
    public synchronized List<List<Row>> series(Duration window, Duration step) {
        long to = minute(clock.millis());
        long span = Math.min(MINUTES, Math.max(1, window.toMinutes()));
        long stepMinutes = Math.max(1, step.toMinutes());
        List<List<Row>> series = new ArrayList<>();
        for (long start = to - span; start < to; start += stepMinutes) {
            List<Row> rows = new ArrayList<>();
            for (Cell cell : cells.values()) {
                Row row = cell.total(start, Math.min(to, start + stepMinutes));
                if (row.any()) {
                    rows.add(row);
                }
            }
            series.add(rows);
        }
        return series;
    }

    /** The last few events of a cell's outcome within the window, newest first. */
    public synchronized List<Sample> samples(String flow, String stage, String outcome, Duration window) {
        Cell cell = cells.get(flow + "\u0000" + stage);
        if (cell == null) {
            return List.of();
        }
        Instant since = clock.instant().minus(window);
        ArrayDeque<Sample> kept = cell.samples.get(outcome);
        if (kept == null) {
            return List.of();
        }
        List<Sample> found = new ArrayList<>();
        kept.descendingIterator().forEachRemaining(s -> {
            if (s.at().isAfter(since)) {
                // masked when shown, not when kept: only a handful of the samples kept are ever looked at
                found.add(new Sample(Identifiers.maskEmailsIn(s.eventId()), s.type(), s.at(), s.reason()));
            }
        });
        return found;
    }

    public Clock clock() {
        return clock;
    }

    static long minute(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L);
    }

    private static String reason(JsonNode record) {
        String reason = text(record, "reason");
        return reason == null ? null : Identifiers.maskPhonesIn(Identifiers.maskEmailsIn(reason));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A masked sample event of a cell: what the samples panel lists. */
    public record Sample(String eventId, String type, Instant at, String reason) {
    }

    /** A cell's totals over a window. */
    public record Row(String flow, String stage, Map<String, Long> counts, Map<String, Map<String, Long>> reasons,
                      Long p50Ms, Long p95Ms, long latencies) {

        public long count(String outcome) {
            return counts.getOrDefault(outcome, 0L);
        }

        boolean any() {
            return counts.values().stream().anyMatch(c -> c > 0);
        }

        public boolean ingress() {
            return stage.startsWith("ingress:");
        }
    }

    private static final class Cell {
        final String flow;
        final String stage;
        final Bucket[] minutes = new Bucket[MINUTES];
        final Histogram[] latencies = new Histogram[MINUTES / LATENCY_MINUTES];
        final Map<String, ArrayDeque<Sample>> samples = new HashMap<>();

        Cell(String flow, String stage) {
            this.flow = flow;
            this.stage = stage;
        }

        Bucket bucket(long minute) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            Bucket bucket = minutes[slot];
            if (bucket == null || bucket.minute < minute) {
                bucket = new Bucket(minute);
                minutes[slot] = bucket;
            }
            return bucket;
        }

        LatencyHistogram latency(long minute) {
            long tens = Math.floorDiv(minute, LATENCY_MINUTES);
            int slot = (int) Math.floorMod(tens, (long) latencies.length);
            Histogram histogram = latencies[slot];
            if (histogram == null || histogram.tens < tens) {
                histogram = new Histogram(tens);
                latencies[slot] = histogram;
            }
            return histogram.values;
        }

        void sample(String outcome, String eventId, String type, Instant at, String reason) {
            if (eventId == null) {
                return;
            }
            ArrayDeque<Sample> kept = samples.computeIfAbsent(outcome, o -> new ArrayDeque<>());
            if (kept.size() == SAMPLES) {
                kept.removeFirst();
            }
            kept.addLast(new Sample(eventId, type, at, reason));
        }

        /** Minutes in ({@code from}, {@code to}]; latencies of the 10-minute spans that overlap it. */
        Row total(long from, long to) {
            Map<String, Long> counts = new LinkedHashMap<>();
            OUTCOMES.forEach(o -> counts.put(o, 0L));
            Map<String, Map<String, Long>> reasons = new TreeMap<>();
            for (long m = Math.max(from + 1, to - MINUTES + 1); m <= to; m++) {
                Bucket bucket = minutes[(int) Math.floorMod(m, (long) MINUTES)];
                if (bucket != null && bucket.minute == m) {
                    for (int i = 0; i < OUTCOMES.size(); i++) {
                        counts.merge(OUTCOMES.get(i), (long) bucket.counts[i], Long::sum);
                    }
                    if (bucket.reasons != null) {
                        bucket.reasons.forEach((key, n) -> {
                            int cut = key.indexOf('\u0000');
                            reasons.computeIfAbsent(key.substring(0, cut), o -> new TreeMap<>())
                                    .merge(key.substring(cut + 1), (long) n, Long::sum);
                        });
                    }
                }
            }
            LatencyHistogram sum = new LatencyHistogram();
            long firstTens = Math.floorDiv(from + 1, LATENCY_MINUTES);
            long lastTens = Math.floorDiv(to, LATENCY_MINUTES);
            for (long t = Math.max(firstTens, lastTens - latencies.length + 1); t <= lastTens; t++) {
                Histogram histogram = latencies[(int) Math.floorMod(t, (long) latencies.length)];
                if (histogram != null && histogram.tens == t) {
                    histogram.values.addTo(sum);
                }
            }
            return new Row(flow, stage, counts, reasons, sum.percentile(0.50), sum.percentile(0.95), sum.count());
        }
    }

    private static final class Bucket {
        final long minute;
        final int[] counts = new int[OUTCOMES.size()];
        Map<String, Integer> reasons;

        Bucket(long minute) {
            this.minute = minute;
        }

        void count(String outcome, String reason) {
            counts[OUTCOMES.indexOf(outcome)]++;
            if (reason != null && !"received".equals(outcome) && !"delivered".equals(outcome)) {
                if (reasons == null) {
                    reasons = new HashMap<>();
                }
                String key = outcome + "\u0000" + reason;
                if (reasons.containsKey(key) || reasons.size() < MAX_REASONS) {
                    reasons.merge(key, 1, Integer::sum);
                } else {
                    reasons.merge(outcome + "\u0000(other reasons)", 1, Integer::sum);
                }
            }
        }
    }

    private static final class Histogram {
        final long tens;
        final LatencyHistogram values = new LatencyHistogram();

        Histogram(long tens) {
            this.tens = tens;
        }
    }
}

package io.marketingbus.ops.console;

/**
 * Milliseconds in logarithmic bins (each 20 % wider than the one before, 1 ms to about 10 days): a fixed 480 bytes
 * however many values, merged by adding, a percentile read with at most 20 % error (the bin's upper bound).
 */
final class LatencyHistogram {

    static final double GROWTH = 1.2;
    static final int BINS = 120;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private final int[] counts = new int[BINS];
    private long total;

    void record(long millis) {
        counts[bin(millis)]++;
        total++;
    }

    void addTo(LatencyHistogram sum) {
        for (int i = 0; i < BINS; i++) {
            sum.counts[i] += counts[i];
        }
        sum.total += total;
    }

    long count() {
        return total;
    }

    /** The value below which a fraction {@code q} of the values lie (its bin's upper bound); null when empty. */
    Long percentile(double q) {
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BINS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BINS - 1);
    }

    static int bin(long millis) {
        if (millis <= 1) {
            return 0;
        }
        return (int) Math.min(BINS - 1, Math.ceil(Math.log(millis) / LOG_GROWTH));
    }

    static long upperBound(int bin) {
        return bin == 0 ? 1 : (long) Math.floor(Math.pow(GROWTH, bin));
    }
}

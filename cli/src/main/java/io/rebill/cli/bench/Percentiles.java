package io.rebill.cli.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of latencies in nanoseconds, reported in milliseconds. */
public record Percentiles(int count, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

    /** No samples: every figure is NaN, so a report shows the row as not measured. */
    public static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** @param nanos the samples; not changed */
    public static Percentiles of(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, millis(rank(sorted, 50)), millis(rank(sorted, 95)),
                millis(rank(sorted, 99)), millis(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code percent}% of samples at or below it. */
    static long rank(long[] sorted, double percent) {
        if (percent <= 0) {
            return sorted[0];
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.min(sorted.length - 1, Math.max(0, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}

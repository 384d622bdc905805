package dev.ambient.bench.load;

import org.HdrHistogram.Histogram;

/**
 * The percentiles the report shows, in microseconds.
 *
 * @param count latencies recorded
 */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max) {

    /** Percentiles of a histogram of nanoseconds. */
    public static LatencySummary of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(nanos.getTotalCount(), micros(nanos.getValueAtPercentile(50)),
                micros(nanos.getValueAtPercentile(90)), micros(nanos.getValueAtPercentile(99)),
                micros(nanos.getValueAtPercentile(99.9)), micros(nanos.getMaxValue()));
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}

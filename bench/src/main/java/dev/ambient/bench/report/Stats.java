package dev.ambient.bench.report;

import java.util.Arrays;
import java.util.Collection;

/** Medians over rounds: robust to the one round a noisy neighbour spoiled, which a mean is not. */
public final class Stats {

    private Stats() {}

    /** The median of the values that are numbers; NaN when there is none. Even counts average the middle two. */
    public static double median(Collection<Double> values) {
        double[] v = values.stream().filter(d -> d != null && !d.isNaN()).mapToDouble(Double::doubleValue).sorted()
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** The median of {@code values}. */
    public static double median(double... values) {
        return median(Arrays.stream(values).boxed().toList());
    }
}

package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.List;
import java.util.Optional;

/**
 * How long a mode's pods waited for the mesh before their traffic was protected: the median says what
 * a pod usually waits, the maximum what a rollout waits for its slowest pod.
 *
 * @param count pods timed
 * @param medianMillis NaN when no pod was timed
 * @param maxMillis NaN when no pod was timed
 */
public record PodReadiness(Scenario mode, int count, double medianMillis, double maxMillis) {

    /** The ready times of {@code mode}, empty when none were recorded. */
    public static Optional<PodReadiness> of(PodResults r, Scenario mode) {
        List<Double> millis = r.ready(mode).stream().map(ReadyTime::millis).filter(Double::isFinite).toList();
        if (r.ready(mode).isEmpty()) {
            return Optional.empty();
        }
        double max = millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return Optional.of(new PodReadiness(mode, millis.size(), Stats.median(millis), max));
    }

    /** The ready times of every measured mode that recorded any, in report order. */
    public static List<PodReadiness> all(PodResults r) {
        return r.scenarios().stream().map(s -> of(r, s)).flatMap(Optional::stream).toList();
    }
}

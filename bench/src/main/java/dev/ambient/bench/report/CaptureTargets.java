package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.report.TargetResult.Verdict;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The capture goals: attached programs cost un-enrolled pods nothing measurable, and a label change
 * captures new connections within 100 ms. "Nothing measurable" needs a yardstick from the same run:
 * the noise is the larger of how much netns-direct moved between rounds (max − min) and how much two
 * identically built pairs differed when measured before the agents started.
 */
public final class CaptureTargets {

    /** Allowed time from a label change to capture, ms, for every trial. */
    public static final double LABEL_TO_CAPTURE_MILLIS = 100;

    private CaptureTargets() {}

    public static List<TargetResult> evaluate(CaptureResults results) {
        return List.of(attachedWithinNoise(results), labelToCapture(results.flipSummary()));
    }

    private static TargetResult attachedWithinNoise(CaptureResults results) {
        String goal = "netns-direct-attached within noise of netns-direct (p50 and p99)";
        List<LatencyRound> base = results.latency(Scenario.NETNS_DIRECT).stream()
                .filter(r -> r.latency().count() > 0).toList();
        if (base.size() < 2 || results.latency(Scenario.NETNS_DIRECT_ATTACHED).isEmpty()) {
            return TargetResult.notEvaluated(goal,
                    "needs netns-direct in two rounds or more, and netns-direct-attached", "µs");
        }
        ScenarioSummary attached = ScenarioSummary.of(results.latency(), Scenario.NETNS_DIRECT_ATTACHED);
        double noise50 = noise(results, base, r -> r.latency().p50());
        double noise99 = noise(results, base, r -> r.latency().p99());
        boolean met = attached.addedP50() <= noise50 && attached.addedP99() <= noise99;
        return new TargetResult(goal, met ? Verdict.PASS : Verdict.MISS,
                "added p50 " + Format.signedMicros(attached.addedP50()) + " (noise " + Format.micros(noise50)
                        + "), added p99 " + Format.signedMicros(attached.addedP99()) + " (noise "
                        + Format.micros(noise99) + ")", attached.addedP50(), noise50, "µs");
    }

    /** The larger of the baseline's round-to-round range and the before-agents difference of the two pairs. */
    static double noise(CaptureResults results, List<LatencyRound> base, ToDoubleFunction<LatencyRound> value) {
        double min = base.stream().mapToDouble(value).min().orElse(Double.NaN);
        double max = base.stream().mapToDouble(value).max().orElse(Double.NaN);
        double noise = max - min;
        List<BaselineCheck> before = results.beforeAgents();
        if (before.size() == 2) {
            double pairs = Math.abs(value.applyAsDouble(before.get(0).run())
                    - value.applyAsDouble(before.get(1).run()));
            if (!Double.isNaN(pairs)) {
                noise = Math.max(noise, pairs);
            }
        }
        return noise;
    }

    private static TargetResult labelToCapture(FlipSummary flips) {
        String goal = "a label change captures new connections within 100 ms (every trial)";
        if (flips.trials() == 0) {
            return TargetResult.notEvaluated(goal, "no label trial ran", "ms");
        }
        boolean met = flips.complete() && flips.maxMillis() <= LABEL_TO_CAPTURE_MILLIS;
        return new TargetResult(goal, met ? Verdict.PASS : Verdict.MISS,
                "median " + Format.number(flips.medianMillis(), 1) + " ms, max " + Format.number(flips.maxMillis(), 1)
                        + " ms over " + flips.captured() + "/" + flips.trials() + " captured trial(s)",
                flips.maxMillis(), LABEL_TO_CAPTURE_MILLIS, "ms");
    }
}

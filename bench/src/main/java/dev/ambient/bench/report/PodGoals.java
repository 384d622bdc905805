package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.report.TargetResult.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * What ambient mode has to show against sidecars for running it to be worth it: a small fraction of
 * their node memory at many pods, no more added tail latency than our own sidecar, a node that
 * barely grows as pods are added, and a waypoint whose L7 hop costs no more than the nginx L7 pair
 * it replaces. Evaluated from the measured medians as they are.
 */
public final class PodGoals {

    /** Largest share of the sidecar mode's node memory ambient may use at the largest pod count. */
    public static final double SHARE_OF_SIDECAR = 0.05;
    /** Likewise of the HAProxy sidecars'. */
    public static final double SHARE_OF_HAPROXY = 0.25;
    /** Largest growth of ambient node memory per added pod, MiB. */
    public static final double MIB_PER_POD = 0.1;

    private PodGoals() {}

    public static List<TargetResult> evaluate(PodResults r) {
        Optional<PodScaling> ambient = PodScaling.of(r, Scenario.AMBIENT);
        return List.of(memoryShare(r, ambient, Scenario.SIDECAR, SHARE_OF_SIDECAR),
                memoryShare(r, ambient, Scenario.HAPROXY_SIDECAR, SHARE_OF_HAPROXY),
                tail(r), perPod(ambient), waypoint(r));
    }

    /** Compared at the largest pod count both modes reached, so one count that failed leaves the goal standing. */
    private static TargetResult memoryShare(PodResults r, Optional<PodScaling> ambient, Scenario mode, double share) {
        Optional<PodScaling> other = PodScaling.of(r, mode);
        String name = mode.label();
        String goal = "ambient node memory (PSS) at the largest pod count <= " + Format.percent(share) + " of "
                + name + "'s";
        String unit = "% of " + name + "'s node PSS";
        if (ambient.isEmpty() || other.isEmpty()) {
            return TargetResult.notEvaluated(goal, "needs the memory scaling of ambient and " + name + " measured",
                    unit);
        }
        Optional<Integer> pods = ambient.get().pssMib().keySet().stream()
                .filter(other.get().pssMib()::containsKey).max(Integer::compare);
        if (pods.isEmpty()) {
            return TargetResult.notEvaluated(goal, "ambient and " + name + " were measured at no common pod count",
                    unit);
        }
        double a = ambient.get().pssAt(pods.get());
        double o = other.get().pssAt(pods.get());
        double ratio = o > 0 ? a / o : Double.NaN;
        return new TargetResult(goal, verdict(!Double.isNaN(ratio) && ratio <= share),
                "at " + pods(pods.get()) + " per node: ambient " + mib(a) + ", " + name + " " + mib(o) + " = "
                        + percent(ratio) + " (limit " + Format.percent(share) + ")", 100 * ratio, 100 * share, unit);
    }

    private static TargetResult tail(PodResults r) {
        String goal = "ambient adds no more p99 latency than sidecar";
        if (!measured(r, Scenario.AMBIENT) || !measured(r, Scenario.SIDECAR)) {
            return TargetResult.notEvaluated(goal, "needs direct, ambient and sidecar measured", "µs");
        }
        double a = PodSummary.of(r, Scenario.AMBIENT).addedP99();
        double s = PodSummary.of(r, Scenario.SIDECAR).addedP99();
        return new TargetResult(goal, verdict(!Double.isNaN(a) && !Double.isNaN(s) && a <= s),
                "over direct p99: ambient " + Format.signedMicros(a) + ", sidecar " + Format.signedMicros(s)
                        + " (medians of per-round differences)", a, s, "µs");
    }

    private static TargetResult perPod(Optional<PodScaling> ambient) {
        String goal = "ambient node memory grows by <= " + Format.number(MIB_PER_POD, 1) + " MiB per added pod";
        if (ambient.isEmpty() || ambient.get().pssMib().size() < 2) {
            return TargetResult.notEvaluated(goal, "needs ambient memory measured at two pod counts or more",
                    "MiB per pod");
        }
        PodScaling a = ambient.get();
        int first = a.pssMib().firstKey();
        double perPod = a.mibPerAddedPod();
        return new TargetResult(goal, verdict(!Double.isNaN(perPod) && perPod <= MIB_PER_POD),
                "ambient " + mib(a.pssAt(first)) + " at " + pods(first) + " per node, "
                        + mib(a.pssAt(a.largest())) + " at " + a.largest() + ": " + Format.number(perPod, 3)
                        + " MiB per added pod", perPod, MIB_PER_POD, "MiB per pod");
    }

    /** The waypoint's hop over ambient against everything the nginx L7 pair adds over direct, both at p50. */
    private static TargetResult waypoint(PodResults r) {
        String goal = "waypoint added p50 (vs ambient) <= nginx-l7-sidecar added p50 (vs direct)";
        if (!measured(r, Scenario.AMBIENT) || !measured(r, Scenario.AMBIENT_WAYPOINT)
                || !measured(r, Scenario.NGINX_L7_SIDECAR)) {
            return TargetResult.notEvaluated(goal, "needs direct, ambient, ambient-waypoint and nginx-l7-sidecar"
                    + " measured", "µs");
        }
        double w = WaypointSummary.of(r).map(WaypointSummary::addedP50OverAmbient).orElse(Double.NaN);
        double n = PodSummary.of(r, Scenario.NGINX_L7_SIDECAR).addedP50();
        return new TargetResult(goal, verdict(!Double.isNaN(w) && !Double.isNaN(n) && w <= n),
                "p50: waypoint over ambient " + Format.signedMicros(w) + ", nginx-l7-sidecar over direct "
                        + Format.signedMicros(n) + " (medians of per-round differences)", w, n, "µs");
    }

    private static boolean measured(PodResults r, Scenario s) {
        return r.scenarios().contains(s) && !r.rounds(s).isEmpty() && !r.rounds(Scenario.POD_DIRECT).isEmpty();
    }

    private static String pods(int count) {
        return count + (count == 1 ? " pod" : " pods");
    }

    private static String mib(double value) {
        return Format.number(value, 1) + " MiB";
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : Format.number(ratio * 100, 1) + "%";
    }

    private static Verdict verdict(boolean met) {
        return met ? Verdict.PASS : Verdict.MISS;
    }
}

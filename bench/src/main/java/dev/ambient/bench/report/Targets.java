package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.report.TargetResult.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * The ztunnel's goals: no more added median latency than the nginx pair, tail latency within
 * 0.3 ms of direct, and one HBONE stream carrying at least half of what one direct TCP connection
 * carries. Evaluated from the measured medians as they are.
 */
public final class Targets {

    /** Allowed p99 over direct, µs. */
    public static final double P99_BUDGET_MICROS = 300;
    /** Required share of direct single-connection throughput. */
    public static final double THROUGHPUT_SHARE = 0.5;

    private Targets() {}

    public static List<TargetResult> evaluate(BenchReport report) {
        Optional<ScenarioSummary> ztunnel = summary(report, Scenario.ZTUNNEL);
        Optional<ScenarioSummary> nginx = summary(report, Scenario.NGINX);
        Optional<ScenarioSummary> direct = summary(report, Scenario.DIRECT);
        Optional<BulkSummary> ztunnelBulk = report.scenarios().contains(Scenario.ZTUNNEL)
                ? Optional.of(BulkSummary.of(report, Scenario.ZTUNNEL)) : Optional.empty();
        return List.of(addedMedian(ztunnel, nginx, direct), tail(ztunnel, direct), throughput(ztunnelBulk, direct));
    }

    private static TargetResult addedMedian(Optional<ScenarioSummary> ztunnel, Optional<ScenarioSummary> nginx,
            Optional<ScenarioSummary> direct) {
        String goal = "ztunnel adds no more p50 latency than nginx";
        if (ztunnel.isEmpty() || nginx.isEmpty() || direct.isEmpty()) {
            return TargetResult.notEvaluated(goal, "needs direct, ztunnel and nginx measured", "µs");
        }
        double z = ztunnel.get().addedP50();
        double n = nginx.get().addedP50();
        return new TargetResult(goal, verdict(!Double.isNaN(z) && !Double.isNaN(n) && z <= n),
                "over direct p50: ztunnel " + Format.signedMicros(z) + ", nginx " + Format.signedMicros(n), z, n, "µs");
    }

    private static TargetResult tail(Optional<ScenarioSummary> ztunnel, Optional<ScenarioSummary> direct) {
        String goal = "ztunnel p99 within +0.3 ms of direct p99";
        if (ztunnel.isEmpty() || direct.isEmpty()) {
            return TargetResult.notEvaluated(goal, "needs direct and ztunnel measured", "µs");
        }
        double added = ztunnel.get().addedP99();
        return new TargetResult(goal, verdict(!Double.isNaN(added) && added <= P99_BUDGET_MICROS),
                "ztunnel p99 " + Format.micros(ztunnel.get().p99()) + ", direct " + Format.micros(direct.get().p99())
                        + ": " + Format.signedMicros(added) + " (budget " + Format.signedMicros(P99_BUDGET_MICROS)
                        + ", median of per-round differences)", added, P99_BUDGET_MICROS, "µs");
    }

    private static TargetResult throughput(Optional<BulkSummary> ztunnel, Optional<ScenarioSummary> direct) {
        String goal = "one HBONE stream carries >= 50% of one direct TCP connection";
        if (ztunnel.isEmpty() || direct.isEmpty()) {
            return TargetResult.notEvaluated(goal, "needs direct and ztunnel measured", "share of direct");
        }
        double ratio = ztunnel.get().ratioToDirect();
        return new TargetResult(goal, verdict(!Double.isNaN(ratio) && ratio >= THROUGHPUT_SHARE),
                "ztunnel " + Format.number(ztunnel.get().megabytesPerSecond(), 0) + " MB/s = " + Format.percent(ratio)
                        + " of direct (medians of rounds)", ratio, THROUGHPUT_SHARE, "share of direct");
    }

    private static Optional<ScenarioSummary> summary(BenchReport report, Scenario scenario) {
        return report.scenarios().contains(scenario) ? Optional.of(ScenarioSummary.of(report, scenario))
                : Optional.empty();
    }

    private static Verdict verdict(boolean met) {
        return met ? Verdict.PASS : Verdict.MISS;
    }

}

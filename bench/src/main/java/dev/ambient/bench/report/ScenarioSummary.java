package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * One scenario's latency results over all rounds: each number is the median of its per-round
 * values. Added latency is the median of the per-round differences to the scenario's baseline
 * (direct, or netns-direct for the capture scenarios) in the same round, which cancels much of what
 * a noisy round does to both.
 *
 * @param p50 µs, likewise the other percentiles
 * @param addedP50 µs over the baseline, NaN for the baseline itself or when it was not measured
 * @param achievedRate requests per second
 * @param errors summed over rounds
 * @param vcpuPer1k per proxy role, then "sum" when there are several roles
 * @param rounds rounds measured
 */
public record ScenarioSummary(Scenario scenario, double p50, double p90, double p99, double p999, double max,
        double addedP50, double addedP90, double addedP99, double achievedRate, long errors,
        Map<String, Double> vcpuPer1k, int rounds) {

    /** The role under which the sum over all proxy processes of a scenario is reported. */
    public static final String SUM = "sum";

    public static ScenarioSummary of(BenchReport report, Scenario scenario) {
        return of(report.latency(), scenario);
    }

    /** The summary of {@code scenario} from {@code all}, the latency rounds of every scenario of a run. */
    public static ScenarioSummary of(List<LatencyRound> all, Scenario scenario) {
        List<LatencyRound> rounds = rounds(all, scenario);
        Map<String, Double> vcpu = new LinkedHashMap<>();
        List<String> roles = rounds.stream().flatMap(r -> r.cores().keySet().stream()).distinct().toList();
        for (String role : roles) {
            vcpu.put(role, median(rounds, r -> r.vcpuPer1k(role)));
        }
        if (roles.size() > 1) {
            vcpu.put(SUM, median(rounds, LatencyRound::totalVcpuPer1k));
        }
        boolean baseline = scenario == scenario.baseline();
        return new ScenarioSummary(scenario,
                median(rounds, r -> r.latency().p50()), median(rounds, r -> r.latency().p90()),
                median(rounds, r -> r.latency().p99()), median(rounds, r -> r.latency().p999()),
                median(rounds, r -> r.latency().max()),
                baseline ? Double.NaN : added(all, scenario, r -> r.latency().p50()),
                baseline ? Double.NaN : added(all, scenario, r -> r.latency().p90()),
                baseline ? Double.NaN : added(all, scenario, r -> r.latency().p99()),
                median(rounds, LatencyRound::achievedRate),
                rounds.stream().mapToLong(LatencyRound::errors).sum(), vcpu, rounds.size());
    }

    private static List<LatencyRound> rounds(List<LatencyRound> all, Scenario scenario) {
        return all.stream().filter(r -> r.scenario() == scenario).toList();
    }

    /** Median over rounds of (scenario − baseline) in the same round. */
    private static double added(List<LatencyRound> all, Scenario scenario, ToDoubleFunction<LatencyRound> value) {
        List<Double> diffs = new ArrayList<>();
        for (LatencyRound r : rounds(all, scenario)) {
            Optional<LatencyRound> base = rounds(all, scenario.baseline()).stream()
                    .filter(d -> d.round() == r.round()).findFirst();
            base.ifPresent(d -> diffs.add(value.applyAsDouble(r) - value.applyAsDouble(d)));
        }
        return Stats.median(diffs);
    }

    private static double median(List<LatencyRound> rounds, ToDoubleFunction<LatencyRound> value) {
        return Stats.median(rounds.stream().map(r -> value.applyAsDouble(r)).toList());
    }
}

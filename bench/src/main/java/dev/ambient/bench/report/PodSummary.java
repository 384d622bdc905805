package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * One pod scenario over all rounds: each number is the median of its per-round values. Added
 * latency is the median of the per-round differences to direct in the same round, which cancels
 * much of what a noisy round does to both. Only finite values count, so a round in which a
 * scenario failed (no latency recorded) leaves the medians of its good rounds standing.
 *
 * @param p50 µs, likewise the other percentiles
 * @param addedP50 µs over direct in the same round; 0 for direct, NaN when no round had both
 * @param achievedRate verified responses per second
 * @param errors summed over rounds
 * @param pssMib node memory of the scenario's mesh processes; NaN when not measured
 * @param rssMib likewise
 * @param nodeProcesses mesh processes summed into the node memory (0 for direct or when not measured)
 * @param meshProcesses mesh processes that carried the scenario on every node and whose CPU was counted
 * @param vcpuPer1k cores of all the scenario's mesh processes per 1000 req/s; NaN for direct, which has none
 * @param machineVcpuPer1k cores of the whole machine per 1000 req/s
 * @param rounds rounds recorded
 */
public record PodSummary(Scenario scenario, double p50, double p90, double p99, double p999, double addedP50,
        double addedP90, double addedP99, double addedP999, double achievedRate, long errors, double pssMib,
        double rssMib, int nodeProcesses, int meshProcesses, double vcpuPer1k, double machineVcpuPer1k, int rounds) {

    public static PodSummary of(PodResults r, Scenario s) {
        List<PodRound> rounds = r.rounds(s);
        Optional<NodeMemory> memory = Optional.ofNullable(r.memory().get(s));
        boolean direct = s == Scenario.POD_DIRECT;
        return new PodSummary(s,
                median(rounds, p -> p.run().latency().p50()), median(rounds, p -> p.run().latency().p90()),
                median(rounds, p -> p.run().latency().p99()), median(rounds, p -> p.run().latency().p999()),
                added(r, s, p -> p.run().latency().p50()), added(r, s, p -> p.run().latency().p90()),
                added(r, s, p -> p.run().latency().p99()), added(r, s, p -> p.run().latency().p999()),
                median(rounds, p -> p.run().achievedRate()),
                rounds.stream().mapToLong(p -> p.run().errors()).sum(),
                memory.map(NodeMemory::pssMib).orElse(Double.NaN), memory.map(NodeMemory::rssMib).orElse(Double.NaN),
                memory.map(NodeMemory::processes).orElse(0), r.processes().getOrDefault(s, 0),
                direct ? Double.NaN : median(rounds, p -> p.run().totalVcpuPer1k()),
                median(rounds, PodRound::machineVcpuPer1k), rounds.size());
    }

    /** Summaries of every scenario of {@code r}, in report order. */
    public static List<PodSummary> all(PodResults r) {
        return r.scenarios().stream().map(s -> of(r, s)).toList();
    }

    /** Median over rounds of (this scenario − direct) in the same round number. */
    private static double added(PodResults r, Scenario s, ToDoubleFunction<PodRound> value) {
        return addedOver(r, s, Scenario.POD_DIRECT, value);
    }

    /** Median over rounds of ({@code s} − {@code base}) in the same round number; 0 when they are the same. */
    static double addedOver(PodResults r, Scenario s, Scenario base, ToDoubleFunction<PodRound> value) {
        if (s == base) {
            return 0;
        }
        List<PodRound> baseRounds = r.rounds(base);
        List<Double> diffs = new ArrayList<>();
        for (PodRound round : r.rounds(s)) {
            baseRounds.stream().filter(d -> d.run().round() == round.run().round()).findFirst()
                    .ifPresent(d -> diffs.add(value.applyAsDouble(round) - value.applyAsDouble(d)));
        }
        return finiteMedian(diffs);
    }

    static double median(List<PodRound> rounds, ToDoubleFunction<PodRound> value) {
        return finiteMedian(rounds.stream().map(value::applyAsDouble).toList());
    }

    private static double finiteMedian(List<Double> values) {
        return Stats.median(values.stream().filter(Double::isFinite).toList());
    }
}

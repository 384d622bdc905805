package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pod benchmark measured, raw; summaries are derived from these.
 *
 * @param pairs client and server pods per scenario
 * @param scenarios the scenarios measured, in report order, direct first
 * @param rounds every recorded latency run
 * @param memory per scenario, its node memory after the last round on the node where it was largest
 * @param scaling node memory per mode and pod count, ascending
 * @param ready pod-ready times per mode
 * @param processes per scenario, how many mesh processes carried it and were counted (0 for direct)
 * @param waypointMemory per scenario with a waypoint, the memory of the waypoint's own processes after
 *     the last round (they are also part of its node memory)
 */
public record PodResults(int pairs, List<Scenario> scenarios, List<PodRound> rounds, Map<Scenario, NodeMemory> memory,
        List<ScalingPoint> scaling, List<ReadyTime> ready, Map<Scenario, Integer> processes,
        Map<Scenario, NodeMemory> waypointMemory) {

    public PodResults {
        scenarios = List.copyOf(scenarios);
        rounds = List.copyOf(rounds);
        memory = Collections.unmodifiableMap(new LinkedHashMap<>(memory));
        scaling = List.copyOf(scaling);
        ready = List.copyOf(ready);
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
        waypointMemory = Collections.unmodifiableMap(new LinkedHashMap<>(waypointMemory));
    }

    /** Results of a run without a waypoint. */
    public PodResults(int pairs, List<Scenario> scenarios, List<PodRound> rounds, Map<Scenario, NodeMemory> memory,
            List<ScalingPoint> scaling, List<ReadyTime> ready, Map<Scenario, Integer> processes) {
        this(pairs, scenarios, rounds, memory, scaling, ready, processes, Map.of());
    }

    public List<PodRound> rounds(Scenario scenario) {
        return rounds.stream().filter(r -> r.run().scenario() == scenario).toList();
    }

    public List<ScalingPoint> scaling(Scenario mode) {
        return scaling.stream().filter(p -> p.mode() == mode).toList();
    }

    public List<ReadyTime> ready(Scenario mode) {
        return ready.stream().filter(r -> r.mode() == mode).toList();
    }
}

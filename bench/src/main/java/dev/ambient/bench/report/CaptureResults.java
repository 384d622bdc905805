package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the capture benchmark measured, as raw values; summaries and targets are derived.
 *
 * @param pairs who calls whom in each measured scenario, in report order
 * @param latency every recorded latency run
 * @param paths what the capture counters did in every run of a scenario with agents on its nodes
 * @param beforeAgents runs before any agent started: the baseline pair and the pair the agents' scenarios use
 * @param agentMemory the agents' memory after the last round
 * @param flips every label-change trial
 * @param probeStepMillis median time between two connections of the label probe: the resolution of its times
 */
public record CaptureResults(Map<Scenario, String> pairs, List<LatencyRound> latency, List<PathCheckRound> paths,
        List<BaselineCheck> beforeAgents, List<MemoryReading> agentMemory, List<FlipTrial> flips,
        double probeStepMillis) {

    public CaptureResults {
        pairs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pairs));
        latency = List.copyOf(latency);
        paths = List.copyOf(paths);
        beforeAgents = List.copyOf(beforeAgents);
        agentMemory = List.copyOf(agentMemory);
        flips = List.copyOf(flips);
    }

    public List<Scenario> scenarios() {
        return List.copyOf(pairs.keySet());
    }

    /** Latency summaries in report order; added latency is over netns-direct. */
    public List<ScenarioSummary> summaries() {
        List<ScenarioSummary> out = new ArrayList<>();
        for (Scenario s : pairs.keySet()) {
            out.add(ScenarioSummary.of(latency, s));
        }
        return out;
    }

    public List<LatencyRound> latency(Scenario scenario) {
        return latency.stream().filter(r -> r.scenario() == scenario).toList();
    }

    public List<PathCheckRound> paths(Scenario scenario) {
        return paths.stream().filter(r -> r.scenario() == scenario).toList();
    }

    public FlipSummary flipSummary() {
        return FlipSummary.of(flips);
    }

    public List<TargetResult> targets() {
        return CaptureTargets.evaluate(this);
    }
}

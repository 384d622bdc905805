package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the agents' capture counters did during one capture latency run, and whether that matches the
 * scenario's path.
 *
 * @param round 1-based
 * @param nodeA node-a's packets per capture decision over the run (empty when there was no agent to ask)
 * @param nodeB the same for node-b
 * @param problem why the path was not the intended one; empty when it was
 */
public record PathCheckRound(int round, Scenario scenario, Map<String, Long> nodeA, Map<String, Long> nodeB,
        String problem) {

    public PathCheckRound {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(problem, "problem");
        nodeA = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeA));
        nodeB = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeB));
    }

    public boolean ok() {
        return problem.isEmpty();
    }
}

package dev.ambient.bench.capture;

import dev.ambient.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a run's traffic took the path its scenario names, judged from both agents' capture
 * counters over the run. Without this a capture scenario whose capture silently failed would be
 * reported as a very fast capture.
 */
public final class PathCheck {

    private PathCheck() {}

    /**
     * What is wrong with a run of {@code scenario} over {@code connections} connections, given what
     * node-a's and node-b's counters did during it; empty when the path is the intended one.
     */
    public static Optional<String> problem(Scenario scenario, int connections, CaptureCounters a, CaptureCounters b) {
        List<String> problems = new ArrayList<>();
        if (a.dropped() + b.dropped() > 0) {
            problems.add((a.dropped() + b.dropped())
                    + " packet(s) dropped for lack of a listener or a failed assignment");
        }
        switch (scenario) {
            case NETNS_DIRECT -> {
                // node-c and node-d have no agent: nothing to read on this path.
            }
            case NETNS_DIRECT_ATTACHED -> {
                if (a.newFlows() + b.newFlows() > 0) {
                    problems.add("pods outside the mesh had " + (a.newFlows() + b.newFlows()) + " flow(s) captured");
                }
                if (a.get(CaptureCounters.BYPASS) == 0 || b.get(CaptureCounters.BYPASS) == 0) {
                    problems.add("the programs did not see the traffic (bypass count unchanged on "
                            + (a.get(CaptureCounters.BYPASS) == 0 ? "node-a" : "node-b") + "): are they attached?");
                }
            }
            case CAPTURE_PASSTHROUGH -> {
                outboundCaptured(a, connections, problems);
                if (b.newFlows() + b.get(CaptureCounters.MUTUAL_TLS_ACCEPTED) > 0) {
                    problems.add("node-b captured or tunnelled traffic to a pod outside the mesh");
                }
            }
            case CAPTURE_HBONE -> {
                outboundCaptured(a, connections, problems);
                if (b.get(CaptureCounters.MUTUAL_TLS_ACCEPTED) < connections) {
                    problems.add("node-b accepted " + b.get(CaptureCounters.MUTUAL_TLS_ACCEPTED) + " of the "
                            + connections + " client connections over mutual TLS");
                }
                if (b.get(CaptureCounters.INBOUND_NEW) > 0) {
                    problems.add("node-b took " + b.get(CaptureCounters.INBOUND_NEW) + " flow(s) as plaintext");
                }
            }
            default -> throw new IllegalArgumentException("BUG: " + scenario.label() + " is not a capture scenario");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void outboundCaptured(CaptureCounters a, int connections, List<String> problems) {
        if (a.get(CaptureCounters.OUTBOUND_NEW) < connections) {
            problems.add("node-a captured " + a.get(CaptureCounters.OUTBOUND_NEW) + " of the " + connections
                    + " client connections");
        }
    }
}

package dev.ambient.bench.report;

import java.util.Objects;

/**
 * A latency run without any agent on the machine, before the agents started: it shows that the
 * baseline pair (node-c → node-d, which never gets an agent) is a fair stand-in for the pods the
 * other scenarios use (node-a → node-b), since both are built alike.
 *
 * @param pair who called whom, e.g. "plain/client (node-a) → plain/server (node-b)"
 * @param run the measurement (scenario netns-direct: no program on the path)
 */
public record BaselineCheck(String pair, LatencyRound run) {

    public BaselineCheck {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(run, "run");
    }
}

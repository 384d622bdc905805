package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.Locale;
import java.util.Optional;

/**
 * What the waypoint adds to ambient, and how that compares with the L7 proxy pair a user would run
 * instead. Latency is taken against both neighbours in the same round (median of per-round
 * differences, as for added latency over direct): over ambient it is the waypoint's own hop, over
 * nginx-l7-sidecar it is the gap to the C pair. CPU and memory are those of the waypoint's own
 * processes, which the mode's node and mesh totals also contain.
 *
 * @param addedP50OverAmbient µs, ambient-waypoint − ambient; NaN when no round had both
 * @param addedP99OverAmbient likewise at p99
 * @param addedP50OverNginxL7 µs, ambient-waypoint − nginx-l7-sidecar; NaN when that was not measured
 * @param addedP99OverNginxL7 likewise at p99
 * @param vcpuPer1k cores of the waypoint's processes per 1000 req/s, median over rounds
 * @param pssMib the waypoint's processes after the last round; NaN when not read
 * @param rssMib likewise
 * @param processes waypoint processes counted
 */
public record WaypointSummary(double addedP50OverAmbient, double addedP99OverAmbient, double addedP50OverNginxL7,
        double addedP99OverNginxL7, double vcpuPer1k, double pssMib, double rssMib, int processes) {

    /** Roles of waypoint processes in a round's CPU begin with this, then name their pod. */
    public static final String ROLE_PREFIX = "waypoint ";

    /** The summary of the waypoint scenario, empty when it was not measured. */
    public static Optional<WaypointSummary> of(PodResults r) {
        Scenario s = Scenario.AMBIENT_WAYPOINT;
        if (!r.scenarios().contains(s) || r.rounds(s).isEmpty()) {
            return Optional.empty();
        }
        Optional<NodeMemory> memory = Optional.ofNullable(r.waypointMemory().get(s));
        return Optional.of(new WaypointSummary(
                PodSummary.addedOver(r, s, Scenario.AMBIENT, p -> p.run().latency().p50()),
                PodSummary.addedOver(r, s, Scenario.AMBIENT, p -> p.run().latency().p99()),
                PodSummary.addedOver(r, s, Scenario.NGINX_L7_SIDECAR, p -> p.run().latency().p50()),
                PodSummary.addedOver(r, s, Scenario.NGINX_L7_SIDECAR, p -> p.run().latency().p99()),
                PodSummary.median(r.rounds(s), WaypointSummary::vcpuPer1k),
                memory.map(NodeMemory::pssMib).orElse(Double.NaN), memory.map(NodeMemory::rssMib).orElse(Double.NaN),
                memory.map(NodeMemory::processes).orElse(0)));
    }

    /** Cores of the round's waypoint roles per 1000 req/s served; NaN when none was sampled. */
    static double vcpuPer1k(PodRound round) {
        LatencyRound run = round.run();
        double cores = run.cores().entrySet().stream().filter(e -> e.getKey().startsWith(ROLE_PREFIX))
                .mapToDouble(e -> e.getValue()).sum();
        boolean any = run.cores().keySet().stream().anyMatch(role -> role.startsWith(ROLE_PREFIX));
        return !any || run.achievedRate() <= 0 ? Double.NaN : cores / (run.achievedRate() / 1000);
    }

    /** One progress line with every number. */
    public String line() {
        return String.format(Locale.ROOT, "waypoint: adds p50 %s, p99 %s over ambient; p50 %s, p99 %s against"
                + " nginx-l7-sidecar; %s vCPU per 1000 req/s, PSS %s MiB, RSS %s MiB (%d process(es))",
                Format.signedMicros(addedP50OverAmbient), Format.signedMicros(addedP99OverAmbient),
                Format.signedMicros(addedP50OverNginxL7), Format.signedMicros(addedP99OverNginxL7),
                Format.number(vcpuPer1k, 3), Format.number(pssMib, 1), Format.number(rssMib, 1), processes);
    }
}

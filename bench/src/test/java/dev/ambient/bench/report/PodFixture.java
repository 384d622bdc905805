package dev.ambient.bench.report;

import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.LatencySummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A made-up two-round pod run, for the pod summary, goal, rendering and chart tests. Direct's p50 is
 * 100 µs in round 1 and 120 µs in round 2; every other mode's is direct's plus its added p50, 10 µs
 * less in round 1 and 10 µs more in round 2, so the medians are exact. p90, p99 and p99.9 are 2, 3
 * and 4 times the p50. Every run serves 1000 req/s. The waypoint mode adds 2.5 times ambient's added
 * p50 (90 µs over ambient when ambient adds 60), its waypoint 0.2 cores of it.
 */
final class PodFixture {

    /** Added p50 over direct (µs) of the modes other than ambient, whose added p50 each test chooses. */
    static final Map<Scenario, Double> ADDED = Map.of(Scenario.SIDECAR, 180.0, Scenario.HAPROXY_SIDECAR, 140.0,
            Scenario.NGINX_SIDECAR, 120.0, Scenario.NGINX_L7_SIDECAR, 130.0);
    /** Cores of the whole machine per mode, so machine vCPU per 1000 req/s is the same number. */
    static final Map<Scenario, Double> MACHINE = Map.of(Scenario.POD_DIRECT, 0.4, Scenario.AMBIENT, 0.7,
            Scenario.SIDECAR, 1.2, Scenario.HAPROXY_SIDECAR, 0.9, Scenario.NGINX_SIDECAR, 0.8, Scenario.AMBIENT_WAYPOINT,
            1.0, Scenario.NGINX_L7_SIDECAR, 0.85);
    /** The waypoint's own memory after the last round. */
    static final NodeMemory WAYPOINT = new NodeMemory("node-b", 1, 70.34, 90.06);

    private PodFixture() {}

    /** Every mode; ambient adds 60 µs p50 and reaches 42.45 MiB at 50 pods: every goal is met. */
    static PodResults results() {
        return results(Scenario.PODS, 60, 42.45);
    }

    /**
     * {@code scenarios} measured; ambient adds {@code ambientAdded} µs p50 over direct and its node PSS is
     * 40 MiB at 1 pod, 40.45 at 10 and {@code ambientAt50} at 50.
     */
    static PodResults results(List<Scenario> scenarios, double ambientAdded, double ambientAt50) {
        List<PodRound> rounds = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            double direct = round == 1 ? 100 : 120;
            for (Scenario s : scenarios) {
                double added = s == Scenario.POD_DIRECT ? 0 : (s == Scenario.AMBIENT ? ambientAdded
                        : s == Scenario.AMBIENT_WAYPOINT ? 2.5 * ambientAdded : ADDED.get(s)) + (round == 1 ? -10 : 10);
                boolean failing = s == Scenario.NGINX_SIDECAR && round == 2;
                rounds.add(new PodRound(run(round, s, direct + added, failing ? 3 : 0, 1000, cores(s),
                        failing ? List.of("status 502") : List.of()), MACHINE.get(s)));
            }
        }
        Map<Scenario, NodeMemory> memory = new LinkedHashMap<>();
        Map<Scenario, double[]> scaling = new LinkedHashMap<>();
        List<ReadyTime> ready = new ArrayList<>();
        Map<Scenario, Integer> processes = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            switch (s) {
                case AMBIENT -> {
                    memory.put(s, new NodeMemory("node-a", 1, 41.24, 95.34));
                    scaling.put(s, new double[] {40.0, 40.45, ambientAt50});
                    ready.addAll(ready(s, 20, 30, 25));
                }
                case SIDECAR -> {
                    memory.put(s, new NodeMemory("node-a", 2, 76.1, 122.2));
                    scaling.put(s, new double[] {18.5, 180.0, 900.0});
                    ready.addAll(ready(s, 300, 350, 320));
                }
                case HAPROXY_SIDECAR -> {
                    memory.put(s, new NodeMemory("node-a", 2, 14.2, 30.5));
                    scaling.put(s, new double[] {4.5, 36.0, 175.0});
                    ready.addAll(ready(s, 50, 60));
                }
                case NGINX_SIDECAR -> {
                    memory.put(s, new NodeMemory("node-a", 2, 8.4, 20.1));
                    scaling.put(s, new double[] {3.0, 25.0, 120.0});
                    ready.addAll(ready(s, 40, 45));
                }
                case AMBIENT_WAYPOINT -> {
                    memory.put(s, new NodeMemory("node-b", 2, 120.5, 160.2));
                    scaling.put(s, new double[] {110.0, 110.45, 112.45});
                    ready.addAll(ready(s, 22, 28));
                }
                case NGINX_L7_SIDECAR -> {
                    memory.put(s, new NodeMemory("node-a", 2, 9.1, 22.0));
                    scaling.put(s, new double[] {3.2, 27.0, 130.0});
                    ready.addAll(ready(s, 42, 47));
                }
                default -> {
                    // direct runs no mesh process: no memory, scaling or ready time
                }
            }
            processes.put(s, switch (s) {
                case POD_DIRECT -> 0;
                case AMBIENT -> 2;
                case AMBIENT_WAYPOINT -> 3;
                default -> 4;
            });
        }
        List<ScalingPoint> points = new ArrayList<>();
        int[] pods = {1, 10, 50};
        scaling.forEach((mode, pss) -> {
            for (int i = 0; i < pods.length; i++) {
                points.add(new ScalingPoint(mode, pods[i], new NodeMemory("node-a", pods[i], pss[i], 2 * pss[i])));
            }
        });
        Map<Scenario, NodeMemory> waypoints = scenarios.contains(Scenario.AMBIENT_WAYPOINT)
                ? Map.of(Scenario.AMBIENT_WAYPOINT, WAYPOINT) : Map.of();
        return new PodResults(2, scenarios, rounds, memory, points, ready, processes, waypoints);
    }

    /** One latency run whose p90, p99 and p99.9 are 2, 3 and 4 times {@code p50}. */
    static LatencyRound run(int round, Scenario s, double p50, long errors, double rate, Map<String, Double> cores,
            List<String> samples) {
        LatencySummary latency = Double.isNaN(p50)
                ? new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                : new LatencySummary(3000, p50, 2 * p50, 3 * p50, 4 * p50, 5 * p50);
        return new LatencyRound(round, s, latency, 3000, latency.count(), errors, rate, cores,
                new LatencySummary(3000, 60, 70, 80, 90, 100), samples);
    }

    /** The mesh processes' cores of each mode; direct has none. */
    static Map<String, Double> cores(Scenario s) {
        return switch (s) {
            case AMBIENT -> Map.of("ztunnel node-a", 0.1004, "ztunnel node-b", 0.08);
            case SIDECAR -> Map.of("sidecars", 0.6);
            case HAPROXY_SIDECAR -> Map.of("haproxy", 0.3);
            case NGINX_SIDECAR -> Map.of("nginx", 0.25);
            case AMBIENT_WAYPOINT -> Map.of("agent node-a", 0.1, "agent node-b", 0.12,
                    WaypointSummary.ROLE_PREFIX + "ambient-waypoint/waypoint-0", 0.2);
            case NGINX_L7_SIDECAR -> Map.of("nginx", 0.3);
            default -> Map.of();
        };
    }

    private static List<ReadyTime> ready(Scenario mode, double... millis) {
        List<ReadyTime> out = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            out.add(new ReadyTime(mode, "bench/client-" + i, millis.length, millis[i]));
        }
        return out;
    }

    /** The report of a quick pod run that produced {@code pods}. */
    static BenchReport report(PodResults pods) {
        BenchSettings settings = BenchSettings.parse(new String[] {"--quick", "--scaling", "1,10,50", "--out",
                "/tmp/r"}, Path.of("/tmp"), LocalDateTime.of(2026, 1, 1, 0, 0)).settings().orElseThrow();
        MachineFacts machine = new MachineFacts(2, "Test CPU", "6.18", "25", "epoll", 24576, "0.1 0.1 0.1",
                "0.2 0.2 0.2", "nginx/1.22.1");
        return new BenchReport(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(245), 0xabcL,
                "java -cp <classpath> dev.ambient.bench.BenchMain --quick --scaling 1,10,50", machine, settings,
                List.of(), Map.of(), List.of("a note for the reader"), List.of(), List.of(), Map.of(),
                Optional.empty(), Optional.of(pods));
    }
}

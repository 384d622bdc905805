package dev.ambient.bench.report;

import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.LatencySummary;
import dev.ambient.bench.proc.ProcMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A made-up three-round report with round-to-round noise, for the summary, target and rendering tests. */
final class ReportFixture {

    private ReportFixture() {}

    static BenchSettings settings(String... scenarios) {
        return BenchSettings.parse(new String[] {"--loopback", "--scenarios", String.join(",", scenarios), "--out", "/tmp/r"},
                Path.of("/tmp"), LocalDateTime.of(2026, 1, 1, 0, 0)).settings().orElseThrow();
    }

    /** p50s per round: direct 100/120/90, ztunnel 150/200/140, nginx 180/170/160 (µs); p99 = 3 × p50. */
    static BenchReport threeRounds(List<Scenario> scenarios, double ztunnelMegabytes) {
        double[][] p50 = {{100, 120, 90}, {150, 200, 140}, {180, 170, 160}};
        List<LatencyRound> latency = new ArrayList<>();
        List<BulkRound> bulk = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (Scenario s : scenarios) {
                double p = p50[s.ordinal()][round - 1];
                Map<String, Double> cores = new LinkedHashMap<>();
                if (s == Scenario.ZTUNNEL) {
                    cores.put("node-a", 0.10);
                    cores.put("node-b", 0.05);
                } else if (s == Scenario.NGINX) {
                    cores.put("nginx client", 0.04);
                    cores.put("nginx server", 0.04);
                }
                latency.add(new LatencyRound(round, s, new LatencySummary(20_000, p, 2 * p, 3 * p, 4 * p, 5 * p), 20_000,
                        20_000, s == Scenario.NGINX && round == 2 ? 3 : 0, 1000, cores,
                        new LatencySummary(20_000, 60, 70, 80, 90, 100 * round),
                        s == Scenario.NGINX && round == 2 ? List.of("status 502") : List.of()));
                double mb = switch (s) {
                    case DIRECT -> 2000;
                    case ZTUNNEL -> ztunnelMegabytes;
                    case NGINX -> 800;
                    default -> throw new IllegalArgumentException("not a loopback scenario: " + s);
                };
                bulk.add(new BulkRound(round, s, 1L << 30, mb + round, ""));
            }
        }
        Map<Scenario, List<MemoryReading>> memory = new LinkedHashMap<>();
        if (scenarios.contains(Scenario.ZTUNNEL)) {
            memory.put(Scenario.ZTUNNEL, List.of(new MemoryReading("node-a", new ProcMemory(102400, 81920)),
                    new MemoryReading("node-b", new ProcMemory(102400, 81920))));
        }
        MachineFacts machine = new MachineFacts(2, "Test CPU", "6.18", "25", "epoll", 24576, "0.1 0.1 0.1",
                "0.2 0.2 0.2", "nginx/1.22.1");
        String[] names = scenarios.stream().map(Scenario::label).toArray(String[]::new);
        return new BenchReport(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(245), 0xabcL,
                "java -cp <classpath> dev.ambient.bench.BenchMain --quick", machine, settings(names), scenarios,
                scenarios.contains(Scenario.NGINX) ? Map.of() : Map.of(Scenario.NGINX, "nginx is not installed"),
                List.of("a note for the reader"), latency, bulk, memory, Optional.empty(),
                Optional.empty());
    }
}

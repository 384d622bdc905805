package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.LatencySummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scenario's latency run in one round.
 *
 * @param round 1-based
 * @param latency percentiles in µs
 * @param scheduled recorded requests due
 * @param ok verified responses to them
 * @param errors failed or wrong responses, warm-up included
 * @param achievedRate verified responses per second in the recorded window
 * @param cores cores each proxy process kept busy in the recorded window, by role, in report order
 * @param hiccups how late a 1 ms sleep in the bench JVM woke up in the recorded window (µs): the machine's noise
 * @param errorSamples a few error messages
 */
public record LatencyRound(int round, Scenario scenario, LatencySummary latency, long scheduled, long ok, long errors,
        double achievedRate, Map<String, Double> cores, LatencySummary hiccups, List<String> errorSamples) {

    public LatencyRound {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(hiccups, "hiccups");
        cores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cores));
        errorSamples = List.copyOf(errorSamples);
    }

    /** vCPU per 1000 requests/s of {@code role}: cores used divided by thousands of requests per second served. */
    public double vcpuPer1k(String role) {
        Double used = cores.get(role);
        return used == null || achievedRate <= 0 ? Double.NaN : used / (achievedRate / 1000);
    }

    /** The same for all proxy processes of the scenario together. */
    public double totalVcpuPer1k() {
        if (cores.isEmpty() || achievedRate <= 0) {
            return Double.NaN;
        }
        return cores.values().stream().mapToDouble(Double::doubleValue).sum() / (achievedRate / 1000);
    }
}

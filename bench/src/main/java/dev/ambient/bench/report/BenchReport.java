package dev.ambient.bench.report;

import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one benchmark run measured, as raw per-round values; summaries and targets are
 * derived from these, never stored beside them, so the report cannot disagree with itself.
 *
 * @param started wall-clock start
 * @param elapsed total run time
 * @param seed seed of the run's random choices (bodies, phases, scenario order)
 * @param commandLine how the bench was started
 * @param machine where it ran
 * @param settings what it was asked to do
 * @param scenarios the scenarios that were measured, in the order the report lists them
 * @param notRun scenarios asked for that could not run, with the reason
 * @param notes things the reader must know (a scenario skipped and why, deviations)
 * @param latency every latency run
 * @param bulk every bulk transfer
 * @param memory proxy memory after the last round, per scenario
 * @param capture the capture benchmark's results, when it ran ({@code --capture})
 * @param pods the pod benchmark's results, when it ran (the default)
 */
public record BenchReport(Instant started, Duration elapsed, long seed, String commandLine, MachineFacts machine,
        BenchSettings settings, List<Scenario> scenarios, Map<Scenario, String> notRun, List<String> notes,
        List<LatencyRound> latency, List<BulkRound> bulk, Map<Scenario, List<MemoryReading>> memory,
        Optional<CaptureResults> capture, Optional<PodResults> pods) {

    public BenchReport {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(settings, "settings");
        scenarios = List.copyOf(scenarios);
        notRun = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notRun));
        notes = List.copyOf(notes);
        latency = List.copyOf(latency);
        bulk = List.copyOf(bulk);
        memory = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(memory));
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(pods, "pods");
    }

    public List<LatencyRound> latency(Scenario scenario) {
        return latency.stream().filter(r -> r.scenario() == scenario).toList();
    }

    public List<BulkRound> bulk(Scenario scenario) {
        return bulk.stream().filter(r -> r.scenario() == scenario).toList();
    }

    /** Latency summaries of every measured scenario, in report order. */
    public List<ScenarioSummary> summaries() {
        List<ScenarioSummary> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            out.add(ScenarioSummary.of(this, s));
        }
        return out;
    }

    /** Bulk summaries of every measured scenario, in report order. */
    public List<BulkSummary> bulkSummaries() {
        List<BulkSummary> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            out.add(BulkSummary.of(this, s));
        }
        return out;
    }

    /** The loopback targets when loopback scenarios ran, then the capture targets when capture ran. */
    public List<TargetResult> targets() {
        List<TargetResult> out = new ArrayList<>();
        if (!scenarios.isEmpty()) {
            out.addAll(Targets.evaluate(this));
        }
        capture.ifPresent(c -> out.addAll(c.targets()));
        return out;
    }
}

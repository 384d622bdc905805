package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.LatencySummary;
import dev.ambient.bench.proc.ProcMemory;
import dev.ambient.bench.report.TargetResult.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Capture summaries, targets and rendering from made-up rounds. */
class CaptureReportTest {

    /** p50 per round (µs): netns-direct 100/110, attached 104/108, passthrough 200/230, hbone 400/380. */
    private static final Map<Scenario, double[]> P50 = Map.of(Scenario.NETNS_DIRECT, new double[] {100, 110},
            Scenario.NETNS_DIRECT_ATTACHED, new double[] {104, 108}, Scenario.CAPTURE_PASSTHROUGH,
            new double[] {200, 230}, Scenario.CAPTURE_HBONE, new double[] {400, 380});

    private static LatencyRound round(int round, Scenario s, double p50, Map<String, Double> cores) {
        return new LatencyRound(round, s, new LatencySummary(5000, p50, 2 * p50, 4 * p50, 8 * p50, 10 * p50), 5000,
                5000, 0, 1000, cores, new LatencySummary(5000, 50, 60, 70, 80, 90), List.of());
    }

    static CaptureResults results(List<FlipTrial> flips, double pairGap) {
        List<LatencyRound> latency = new ArrayList<>();
        List<PathCheckRound> paths = new ArrayList<>();
        Map<Scenario, String> pairs = new LinkedHashMap<>();
        for (Scenario s : Scenario.CAPTURE) {
            pairs.put(s, "pods of " + s.label());
            for (int r = 1; r <= 2; r++) {
                Map<String, Double> cores = new LinkedHashMap<>();
                if (s != Scenario.NETNS_DIRECT) {
                    cores.put("agent node-a", 0.1);
                    cores.put("agent node-b", 0.05);
                }
                latency.add(round(r, s, P50.get(s)[r - 1], cores));
                if (s != Scenario.NETNS_DIRECT) {
                    paths.add(new PathCheckRound(r, s, Map.of("outbound_new", 16L, "bypass", 10L),
                            Map.of("mutual_tls_accepted", 16L, "bypass", 10L),
                            s == Scenario.CAPTURE_HBONE && r == 2 ? "node-b accepted 0 of the 16" : ""));
                }
            }
        }
        List<BaselineCheck> before = List.of(
                new BaselineCheck("c → d", round(0, Scenario.NETNS_DIRECT, 100, Map.of())),
                new BaselineCheck("a → b", round(0, Scenario.NETNS_DIRECT, 100 + pairGap, Map.of())));
        return new CaptureResults(pairs, latency, paths, before,
                List.of(new MemoryReading("agent node-a", new ProcMemory(102400, 81920))), flips, 5.2);
    }

    private static final List<FlipTrial> FLIPS = List.of(new FlipTrial(1, 80, 16, 60, ""),
            new FlipTrial(2, 70, 14, 50, ""), new FlipTrial(3, 95, 18, 55, ""));

    @Test
    void addedLatencyIsOverNetnsDirectInTheSameRound() {
        CaptureResults c = results(FLIPS, 3);
        ScenarioSummary attached = c.summaries().get(1);
        assertEquals(Scenario.NETNS_DIRECT_ATTACHED, attached.scenario());
        assertEquals(1, attached.addedP50()); // +4 and -2
        assertEquals(110, c.summaries().get(2).addedP50()); // +100 and +120
        assertTrue(Double.isNaN(c.summaries().get(0).addedP50()));
        assertEquals(0.15, c.summaries().get(3).vcpuPer1k().get(ScenarioSummary.SUM), 1e-9);
    }

    @Test
    void noiseIsTheLargerOfTheBaselinesSpreadAndTheGapBetweenPairsBeforeTheAgents() {
        List<LatencyRound> base = results(FLIPS, 3).latency(Scenario.NETNS_DIRECT);
        assertEquals(10, CaptureTargets.noise(results(FLIPS, 3), base, r -> r.latency().p50()));
        assertEquals(25, CaptureTargets.noise(results(FLIPS, -25), base, r -> r.latency().p50()));
    }

    @Test
    void targetsFollowTheNumbers() {
        List<TargetResult> met = results(FLIPS, 3).targets();
        assertEquals(Verdict.PASS, met.get(0).verdict(), met.get(0).numbers());
        assertEquals(Verdict.PASS, met.get(1).verdict(), met.get(1).numbers());
        assertEquals(95, met.get(1).measured());
        List<FlipTrial> slow = List.of(new FlipTrial(1, 80, 16, 60, ""), new FlipTrial(2, 101, 20, 50, ""));
        assertEquals(Verdict.MISS, results(slow, 3).targets().get(1).verdict());
        List<FlipTrial> missed = List.of(new FlipTrial(1, 80, 16, 60, ""),
                new FlipTrial(2, Double.NaN, 2000, 50, "no connection was captured"));
        assertEquals(Verdict.MISS, results(missed, 3).targets().get(1).verdict());
        assertEquals(Verdict.NOT_EVALUATED, results(List.of(), 3).targets().get(1).verdict());
    }

    @Test
    void flipSummaryTakesMedianAndMaxOfCapturedTrials() {
        FlipSummary f = FlipSummary.of(List.of(new FlipTrial(1, 80, 16, 60, ""), new FlipTrial(2, 70, 14, 40, ""),
                new FlipTrial(3, Double.NaN, 2000, Double.NaN, "x")));
        assertEquals(3, f.trials());
        assertEquals(2, f.captured());
        assertEquals(75, f.medianMillis());
        assertEquals(80, f.maxMillis());
        assertEquals(50, f.medianOffMillis());
        assertTrue(!f.complete());
    }

    @Test
    void aCaptureReportHasItsSectionTargetsAndJsonButNoLoopbackTables() {
        BenchSettings settings = BenchSettings.parse(new String[] {"--capture", "--quick", "--out", "/tmp/c"},
                Path.of("/tmp"), LocalDateTime.of(2026, 1, 1, 0, 0)).settings().orElseThrow();
        MachineFacts machine = new MachineFacts(2, "Test CPU", "6.18", "25", "io_uring", 24576, "0.1 0.1 0.1",
                "0.2 0.2 0.2", "nginx not requested");
        BenchReport report = new BenchReport(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(100), 0xabcL,
                "java ... --capture --quick", machine, settings, List.of(), Map.of(), List.of("a capture note"),
                List.of(), List.of(), Map.of(), Optional.of(results(FLIPS, 3)), Optional.empty());
        String md = MarkdownReport.render(report, 1024);
        assertTrue(md.contains("## Capture"), md);
        assertTrue(!md.contains("\n## Latency (µs)") && !md.contains("\n## Bulk"), md);
        assertTrue(md.contains(
                "| netns-direct-attached | pods of netns-direct-attached | 106 | 212 | 424 | 848 | +1 |"), md);
        assertTrue(md.contains("| capture-hbone | 0.100 | 0.050 | 0.150 |"), md);
        assertTrue(md.contains("| capture-hbone | 16 | 16 | 0 | 0 | 10 / 10 | 1/2 |"), md);
        assertTrue(md.contains("**Label to capture: median 80.0 ms, max 95.0 ms** (3/3 trials captured)"), md);
        assertTrue(md.contains(
                "| a label change captures new connections within 100 ms (every trial) | **PASS** |"), md);
        assertTrue(md.contains("- a capture note"), md);
        String json = JsonReport.render(report, 1024);
        assertTrue(json.contains("\"capture\": true"), json);
        assertTrue(json.contains("\"labelToCapture\": {"), json);
        assertTrue(json.contains("\"addedMicrosVsNetnsDirect\""), json);
        assertTrue(json.contains("\"problem\": \"node-b accepted 0 of the 16\""), json);
    }
}

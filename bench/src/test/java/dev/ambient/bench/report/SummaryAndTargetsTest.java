package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.report.TargetResult.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryAndTargetsTest {

    private static final List<Scenario> ALL = List.of(Scenario.DIRECT, Scenario.ZTUNNEL, Scenario.NGINX);

    @Test
    void addedLatencyIsTheMedianOfSameRoundDifferences() {
        BenchReport report = ReportFixture.threeRounds(ALL, 1500);
        ScenarioSummary ztunnel = ScenarioSummary.of(report, Scenario.ZTUNNEL);
        assertEquals(150, ztunnel.p50());
        // Differences per round 50, 80, 50: median 50 (the difference of medians would be 50 too, by chance).
        assertEquals(50, ztunnel.addedP50());
        ScenarioSummary nginx = ScenarioSummary.of(report, Scenario.NGINX);
        // Differences 80, 50, 70: median 70, whereas the difference of medians is 170 - 100 = 70.
        assertEquals(70, nginx.addedP50());
        assertEquals(3 * 70, nginx.addedP99());
        assertEquals(3, nginx.errors());
        assertTrue(Double.isNaN(ScenarioSummary.of(report, Scenario.DIRECT).addedP50()));
    }

    @Test
    void cpuIsNormalisedPerThousandRequestsAndSummed() {
        ScenarioSummary ztunnel = ScenarioSummary.of(ReportFixture.threeRounds(ALL, 1500), Scenario.ZTUNNEL);
        assertEquals(List.of("node-a", "node-b", ScenarioSummary.SUM), List.copyOf(ztunnel.vcpuPer1k().keySet()));
        assertEquals(0.10, ztunnel.vcpuPer1k().get("node-a"), 1e-9);
        assertEquals(0.15, ztunnel.vcpuPer1k().get(ScenarioSummary.SUM), 1e-9);
    }

    @Test
    void targetsFollowTheNumbers() {
        List<TargetResult> met = ReportFixture.threeRounds(ALL, 1500).targets();
        assertEquals(List.of(Verdict.PASS, Verdict.PASS, Verdict.PASS), met.stream().map(TargetResult::verdict).toList(),
                met.toString());
        List<TargetResult> slowBulk = ReportFixture.threeRounds(ALL, 900).targets();
        assertEquals(Verdict.MISS, slowBulk.get(2).verdict());
        assertTrue(slowBulk.get(2).numbers().contains("45% of direct"), slowBulk.get(2).numbers());
    }

    @Test
    void targetsNeedingAnUnmeasuredScenarioAreNotEvaluated() {
        List<TargetResult> noNginx = ReportFixture.threeRounds(List.of(Scenario.DIRECT, Scenario.ZTUNNEL), 1500)
                .targets();
        assertEquals(Verdict.NOT_EVALUATED, noNginx.get(0).verdict());
        assertEquals(Verdict.PASS, noNginx.get(1).verdict());
        List<TargetResult> onlyDirect = ReportFixture.threeRounds(List.of(Scenario.DIRECT), 0).targets();
        assertTrue(onlyDirect.stream().allMatch(t -> t.verdict() == Verdict.NOT_EVALUATED), onlyDirect.toString());
    }

    @Test
    void bulkRatioIsMedianOverMedian() {
        BulkSummary z = BulkSummary.of(ReportFixture.threeRounds(ALL, 1500), Scenario.ZTUNNEL);
        assertEquals(1502, z.megabytesPerSecond());
        assertEquals(1502 / 2002.0, z.ratioToDirect(), 1e-9);
        assertEquals(3, z.okRounds());
    }
}

package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodSummaryTest {

    private static PodRound round(int round, Scenario s, double p50, long errors, double rate) {
        return new PodRound(PodFixture.run(round, s, p50, errors, rate, PodFixture.cores(s), List.of()), 0.5);
    }

    private static PodResults results(List<PodRound> rounds) {
        return new PodResults(2, List.of(Scenario.POD_DIRECT, Scenario.AMBIENT), rounds, Map.of(), List.of(),
                List.of(), Map.of());
    }

    @Test
    void addedLatencyIsTheMedianOfDifferencesToDirectInTheSameRoundNumber() {
        // Direct 100/200/150, ambient 300/210/160: differences 200, 10, 10. The difference of the medians
        // (210 - 150 = 60) or pairing by position in the list would give another number.
        PodResults r = results(List.of(round(1, Scenario.POD_DIRECT, 100, 0, 1000),
                round(2, Scenario.POD_DIRECT, 200, 0, 1000), round(3, Scenario.POD_DIRECT, 150, 0, 1000),
                round(3, Scenario.AMBIENT, 160, 0, 1000), round(1, Scenario.AMBIENT, 300, 0, 1000),
                round(2, Scenario.AMBIENT, 210, 0, 1000)));
        PodSummary ambient = PodSummary.of(r, Scenario.AMBIENT);
        assertEquals(210, ambient.p50());
        assertEquals(10, ambient.addedP50());
        assertEquals(30, ambient.addedP99());
        assertEquals(40, ambient.addedP999());
        assertEquals(3, ambient.rounds());
        PodSummary direct = PodSummary.of(r, Scenario.POD_DIRECT);
        assertEquals(0, direct.addedP50());
        assertEquals(0, direct.addedP999());
        assertEquals(150, direct.p50());
    }

    @Test
    void aFailedRoundLeavesTheMediansOfTheGoodRounds() {
        PodResults r = results(List.of(round(1, Scenario.POD_DIRECT, 100, 0, 1000),
                round(2, Scenario.POD_DIRECT, 200, 0, 1000), round(3, Scenario.POD_DIRECT, 150, 0, 1000),
                round(1, Scenario.AMBIENT, 300, 0, 1000), round(2, Scenario.AMBIENT, 210, 2, 1000),
                round(3, Scenario.AMBIENT, Double.NaN, 7, 0)));
        PodSummary ambient = PodSummary.of(r, Scenario.AMBIENT);
        assertEquals(255, ambient.p50());
        assertEquals(765, ambient.p99());
        assertEquals(105, ambient.addedP50()); // 200 and 10; round 3 has no latency
        assertEquals(9, ambient.errors());
        assertEquals(0.1804, ambient.vcpuPer1k(), 1e-9);
        assertEquals(0.5, ambient.machineVcpuPer1k(), 1e-9);
    }

    @Test
    void everyRoundFailedGivesNoNumberRatherThanZero() {
        PodResults r = results(List.of(round(1, Scenario.POD_DIRECT, 100, 0, 1000),
                round(1, Scenario.AMBIENT, Double.NaN, 5, 0)));
        PodSummary ambient = PodSummary.of(r, Scenario.AMBIENT);
        assertTrue(Double.isNaN(ambient.p99()));
        assertTrue(Double.isNaN(ambient.addedP99()));
        assertTrue(Double.isNaN(ambient.vcpuPer1k()));
        assertEquals(5, ambient.errors());
    }

    @Test
    void fixtureSummariesCarryErrorsMemoryAndCost() {
        PodResults r = PodFixture.results();
        List<PodSummary> all = PodSummary.all(r);
        assertEquals(Scenario.PODS, all.stream().map(PodSummary::scenario).toList());
        PodSummary nginx = all.get(5);
        assertEquals(3, nginx.errors());
        assertEquals(120, nginx.addedP50());
        assertEquals(360, nginx.addedP99());
        PodSummary ambient = all.get(1);
        assertEquals(170, ambient.p50());
        assertEquals(60, ambient.addedP50());
        assertEquals(41.24, ambient.pssMib());
        assertEquals(95.34, ambient.rssMib());
        assertEquals(1, ambient.nodeProcesses());
        assertEquals(2, ambient.meshProcesses());
        assertEquals(0.1804, ambient.vcpuPer1k(), 1e-9);
        assertEquals(0.7, ambient.machineVcpuPer1k(), 1e-9);
        assertEquals(1000, ambient.achievedRate());
        PodSummary direct = all.get(0);
        assertTrue(Double.isNaN(direct.vcpuPer1k()), "direct has no mesh process");
        assertTrue(Double.isNaN(direct.pssMib()));
        assertEquals(0, direct.nodeProcesses());
        assertEquals(0, direct.meshProcesses());
        assertEquals(0.4, direct.machineVcpuPer1k(), 1e-9);
    }
}

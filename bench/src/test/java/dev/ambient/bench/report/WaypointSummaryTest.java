package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaypointSummaryTest {

    @Test
    void latencyAgainstBothNeighboursCpuAndMemoryOfTheWaypointAlone() {
        WaypointSummary w = WaypointSummary.of(PodFixture.results()).orElseThrow();
        assertEquals(90, w.addedP50OverAmbient(), 1e-9);
        assertEquals(270, w.addedP99OverAmbient(), 1e-9);
        assertEquals(20, w.addedP50OverNginxL7(), 1e-9);
        assertEquals(60, w.addedP99OverNginxL7(), 1e-9);
        assertEquals(0.2, w.vcpuPer1k(), 1e-9, "the agents' cores are not the waypoint's");
        assertEquals(70.34, w.pssMib());
        assertEquals(90.06, w.rssMib());
        assertEquals(1, w.processes());
        assertEquals("waypoint: adds p50 +90 µs, p99 +270 µs over ambient; p50 +20 µs, p99 +60 µs against"
                + " nginx-l7-sidecar; 0.200 vCPU per 1000 req/s, PSS 70.3 MiB, RSS 90.1 MiB (1 process(es))", w.line());
    }

    @Test
    void withoutTheNginxL7PairOrMemoryThoseNumbersAreMissing() {
        PodResults r = PodFixture.results(List.of(Scenario.POD_DIRECT, Scenario.AMBIENT, Scenario.AMBIENT_WAYPOINT),
                60, 42.45);
        PodResults noMemory = new PodResults(r.pairs(), r.scenarios(), r.rounds(), r.memory(), r.scaling(), r.ready(),
                r.processes(), Map.of());
        WaypointSummary w = WaypointSummary.of(noMemory).orElseThrow();
        assertEquals(90, w.addedP50OverAmbient(), 1e-9);
        assertTrue(Double.isNaN(w.addedP50OverNginxL7()));
        assertTrue(Double.isNaN(w.pssMib()));
        assertEquals(0, w.processes());
        assertTrue(w.line().contains("p50 n/a, p99 n/a against nginx-l7-sidecar"), w.line());
    }

    @Test
    void aRoundWithoutWaypointCpuIsNotAZero() {
        PodRound round = new PodRound(PodFixture.run(1, Scenario.AMBIENT_WAYPOINT, 200, 0, 1000,
                Map.of("agent node-a", 0.1), List.of()), 1.0);
        assertTrue(Double.isNaN(WaypointSummary.vcpuPer1k(round)));
    }

    @Test
    void nothingWhenTheWaypointWasNotMeasured() {
        assertTrue(WaypointSummary.of(PodFixture.results(List.of(Scenario.POD_DIRECT, Scenario.AMBIENT), 60, 42.45))
                .isEmpty());
    }
}

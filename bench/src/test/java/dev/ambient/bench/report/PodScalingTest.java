package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodScalingTest {

    private final PodResults results = PodFixture.results();

    @Test
    void everyModeButDirectHasItsMemoryPerPodCount() {
        List<PodScaling> all = PodScaling.all(results);
        assertEquals(List.of(Scenario.AMBIENT, Scenario.AMBIENT_WAYPOINT, Scenario.SIDECAR, Scenario.HAPROXY_SIDECAR,
                Scenario.NGINX_SIDECAR, Scenario.NGINX_L7_SIDECAR), all.stream().map(PodScaling::mode).toList());
        assertTrue(PodScaling.of(results, Scenario.POD_DIRECT).isEmpty());
        PodScaling sidecar = all.get(2);
        assertEquals(List.of(1, 10, 50), List.copyOf(sidecar.pssMib().keySet()));
        assertEquals(180.0, sidecar.pssAt(10));
        assertEquals(50, sidecar.largest());
        assertTrue(Double.isNaN(sidecar.pssAt(3)));
    }

    @Test
    void mibPerAddedPodIsTheSlopeFromTheSmallestToTheLargestCount() {
        assertEquals(0.05, PodScaling.of(results, Scenario.AMBIENT).orElseThrow().mibPerAddedPod(), 1e-9);
        assertEquals((900 - 18.5) / 49, PodScaling.of(results, Scenario.SIDECAR).orElseThrow().mibPerAddedPod(),
                1e-9);
    }

    @Test
    void oneCountGivesNoSlope() {
        PodResults one = new PodResults(2, List.of(Scenario.POD_DIRECT, Scenario.AMBIENT), List.of(), Map.of(),
                List.of(new ScalingPoint(Scenario.AMBIENT, 10, new NodeMemory("node-a", 1, 40, 80))), List.of(),
                Map.of());
        PodScaling ambient = PodScaling.of(one, Scenario.AMBIENT).orElseThrow();
        assertEquals(40, ambient.pssAt(10));
        assertTrue(Double.isNaN(ambient.mibPerAddedPod()));
    }

    @Test
    void readyTimesHaveMedianMaxAndCountPerMode() {
        List<PodReadiness> ready = PodReadiness.all(results);
        assertEquals(6, ready.size());
        PodReadiness ambient = ready.get(0);
        assertEquals(Scenario.AMBIENT, ambient.mode());
        assertEquals(3, ambient.count());
        assertEquals(25, ambient.medianMillis());
        assertEquals(30, ambient.maxMillis());
        assertEquals(55, ready.get(3).medianMillis());
        assertTrue(PodReadiness.of(results, Scenario.POD_DIRECT).isEmpty());
    }
}

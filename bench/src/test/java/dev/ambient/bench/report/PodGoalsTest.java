package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.report.TargetResult.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodGoalsTest {

    @Test
    void ambientMeetsEveryGoalWhenSmallAndFast() {
        List<TargetResult> goals = PodGoals.evaluate(PodFixture.results());
        assertEquals(5, goals.size());
        goals.forEach(g -> assertEquals(Verdict.PASS, g.verdict(), g.goal() + ": " + g.numbers()));
        TargetResult sidecarMemory = goals.get(0);
        assertEquals(100 * 42.45 / 900, sidecarMemory.measured(), 1e-9);
        assertEquals(5, sidecarMemory.limit(), 1e-9);
        assertEquals("% of sidecar's node PSS", sidecarMemory.unit());
        assertTrue(sidecarMemory.numbers().contains("at 50 pods per node: ambient 42.5 MiB, sidecar 900.0 MiB = 4.7%"),
                sidecarMemory.numbers());
        assertEquals(100 * 42.45 / 175, goals.get(1).measured(), 1e-9);
        assertTrue(goals.get(1).goal().contains("haproxy-sidecar"), goals.get(1).goal());
        assertEquals(180, goals.get(2).measured());
        assertEquals(540, goals.get(2).limit());
        assertTrue(goals.get(2).numbers().contains("ambient +180 µs, sidecar +540 µs"), goals.get(2).numbers());
        assertEquals(0.05, goals.get(3).measured(), 1e-9);
        assertTrue(goals.get(3).numbers().contains(
                "ambient 40.0 MiB at 1 pod per node, 42.5 MiB at 50: 0.050 MiB per added pod"), goals.get(3).numbers());
    }

    @Test
    void ambientMissesWhenItGrowsWithPodsOrAddsMoreThanTheSidecar() {
        List<TargetResult> goals = PodGoals.evaluate(PodFixture.results(Scenario.PODS, 200, 60));
        goals.forEach(g -> assertEquals(Verdict.MISS, g.verdict(), g.goal() + ": " + g.numbers()));
        assertEquals(600, goals.get(2).measured());
        assertEquals(20.0 / 49, goals.get(3).measured(), 1e-9);
    }

    @Test
    void justOverAShareIsAMiss() {
        // 45.01 / 900 is 5.001% of sidecar but 25.7% of haproxy-sidecar; (45.01 - 40) / 49 > 0.1 MiB per pod.
        List<TargetResult> goals = PodGoals.evaluate(PodFixture.results(Scenario.PODS, 60, 45.01));
        assertEquals(Verdict.MISS, goals.get(0).verdict(), goals.get(0).numbers());
        assertEquals(Verdict.MISS, goals.get(1).verdict(), goals.get(1).numbers());
        assertEquals(Verdict.PASS, goals.get(2).verdict(), goals.get(2).numbers());
        assertEquals(Verdict.MISS, goals.get(3).verdict(), goals.get(3).numbers());
    }

    @Test
    void goalsNeedingTheSidecarAreNotEvaluatedWithoutIt() {
        List<TargetResult> goals = PodGoals.evaluate(PodFixture.results(List.of(Scenario.POD_DIRECT, Scenario.AMBIENT,
                Scenario.HAPROXY_SIDECAR, Scenario.NGINX_SIDECAR), 60, 42.45));
        assertEquals(Verdict.NOT_EVALUATED, goals.get(0).verdict());
        assertTrue(goals.get(0).numbers().contains("sidecar"), goals.get(0).numbers());
        assertTrue(Double.isNaN(goals.get(0).measured()));
        assertEquals(Verdict.PASS, goals.get(1).verdict());
        assertEquals(Verdict.NOT_EVALUATED, goals.get(2).verdict());
        assertEquals(Verdict.PASS, goals.get(3).verdict());
    }

    @Test
    void withoutAmbientNothingIsEvaluated() {
        List<TargetResult> goals = PodGoals.evaluate(PodFixture.results(List.of(Scenario.POD_DIRECT,
                Scenario.SIDECAR), 60, 42.45));
        goals.forEach(g -> assertEquals(Verdict.NOT_EVALUATED, g.verdict(), g.goal()));
    }

    @Test
    void waypointHopIsComparedWithWhatTheNginxL7PairAddsOverDirect() {
        TargetResult pass = PodGoals.evaluate(PodFixture.results()).get(4);
        assertEquals(Verdict.PASS, pass.verdict(), pass.numbers());
        assertEquals(90, pass.measured(), 1e-9);
        assertEquals(130, pass.limit(), 1e-9);
        assertTrue(pass.numbers().contains("waypoint over ambient +90 µs, nginx-l7-sidecar over direct +130 µs"),
                pass.numbers());
        // Ambient adding 100 makes the waypoint add 250 over direct, 150 over ambient: more than nginx's 130.
        TargetResult miss = PodGoals.evaluate(PodFixture.results(Scenario.PODS, 100, 42.45)).get(4);
        assertEquals(Verdict.MISS, miss.verdict(), miss.numbers());
        assertEquals(150, miss.measured(), 1e-9);
        TargetResult none = PodGoals.evaluate(PodFixture.results(List.of(Scenario.POD_DIRECT, Scenario.AMBIENT,
                Scenario.AMBIENT_WAYPOINT), 60, 42.45)).get(4);
        assertEquals(Verdict.NOT_EVALUATED, none.verdict());
        assertTrue(none.numbers().contains("nginx-l7-sidecar"), none.numbers());
    }

    @Test
    void memoryIsComparedAtTheLargestCountBothModesReached() {
        PodResults all = PodFixture.results();
        PodResults sidecarStoppedAt10 = new PodResults(all.pairs(), all.scenarios(), all.rounds(), all.memory(),
                all.scaling().stream().filter(p -> p.mode() != Scenario.SIDECAR || p.pods() < 50).toList(),
                all.ready(), all.processes());
        TargetResult goal = PodGoals.evaluate(sidecarStoppedAt10).get(0);
        assertEquals(Verdict.MISS, goal.verdict(), goal.numbers());
        assertEquals(100 * 40.45 / 180, goal.measured(), 1e-9);
        assertTrue(goal.numbers().startsWith("at 10 pods per node"), goal.numbers());
    }
}

package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodMarkdownTest {

    private final String md = PodMarkdown.render(PodFixture.report(PodFixture.results()));

    @Test
    void saysWhatRanAndHow() {
        assertTrue(md.startsWith("# Pod benchmark"), md);
        assertTrue(md.contains("java -cp <classpath> dev.ambient.bench.BenchMain --quick --scaling 1,10,50"), md);
        assertTrue(md.contains("took 4 min 5 s"), md);
        assertTrue(md.contains("2 client pods called 2 server pods on another node"), md);
        assertTrue(md.contains("1000 req/s open loop over 16 keep-alive connections, 1 s warm-up + 3 s recorded"
                + " per run, 2 round(s)"), md);
    }

    @Test
    void latencyTableHasEveryModeWithAddedLatencyOverDirect() {
        assertTrue(md.contains("| mode | p50 | p90 | p99 | p99.9 | added p50 | added p90 | added p99 | added p99.9"
                + " | achieved req/s | errors |"), md);
        assertTrue(md.contains("| direct | 110 | 220 | 330 | 440 | — | — | — | — | 1000.0 | 0 |"), md);
        assertTrue(md.contains("| ambient | 170 | 340 | 510 | 680 | +60 | +120 | +180 | +240 | 1000.0 | 0 |"), md);
        assertTrue(md.contains("| sidecar | 290 | 580 | 870 | 1160 | +180 | +360 | +540 | +720 | 1000.0 | 0 |"), md);
        assertTrue(md.contains("| nginx-sidecar | 230 | 460 | 690 | 920 | +120 | +240 | +360 | +480 | 1000.0 | 3 |"),
                md);
        assertTrue(md.contains("![Added latency over direct](latency.png)"), md);
    }

    @Test
    void costTableHasNodeMemoryAndBothKindsOfCpu() {
        assertTrue(md.contains("| ambient | 2 | 1 | 41.2 | 95.3 | 0.180 | 0.700 |"), md);
        assertTrue(md.contains("| sidecar | 4 | 2 | 76.1 | 122.2 | 0.600 | 1.200 |"), md);
        assertTrue(md.contains("| direct | 0 | 0 | — | — | — | 0.400 |"), md);
    }

    @Test
    void scalingReadyAndGoalTables() {
        assertTrue(md.contains("| mode | 1 pod | 10 pods | 50 pods | MiB per added pod |"), md);
        assertTrue(md.contains("| ambient | 40.0 | 40.5 | 42.5 | 0.050 |"), md);
        assertTrue(md.contains("| sidecar | 18.5 | 180.0 | 900.0 | 17.990 |"), md);
        assertTrue(md.contains("![Node memory against pods per node](memory.png)"), md);
        assertTrue(md.contains("| mode | pods timed | median | max |"), md);
        assertTrue(md.contains("| ambient | 3 | 25.0 | 30.0 |"), md);
        assertTrue(md.contains("| sidecar | 3 | 320.0 | 350.0 |"), md);
        assertTrue(md.contains("| ambient adds no more p99 latency than sidecar | **PASS** | over direct p99: ambient"
                + " +180 µs, sidecar +540 µs"), md);
        assertTrue(md.contains("| ambient node memory (PSS) at the largest pod count <= 5% of sidecar's | **PASS** |"
                + " at 50 pods per node: ambient 42.5 MiB, sidecar 900.0 MiB = 4.7% (limit 5%) |"), md);
    }

    @Test
    void waypointSectionComparesItWithAmbientAndTheNginxL7Pair() {
        assertTrue(md.contains("## Waypoint\n"), md);
        assertTrue(md.contains("| added over ambient | +90 | +270 |"), md);
        assertTrue(md.contains("| against nginx-l7-sidecar | +20 | +60 |"), md);
        assertTrue(md.contains("| 1 | 0.200 | 70.3 | 90.1 |"), md);
        assertTrue(md.contains("| waypoint added p50 (vs ambient) <= nginx-l7-sidecar added p50 (vs direct) | **PASS** |"
                + " p50: waypoint over ambient +90 µs, nginx-l7-sidecar over direct +130 µs"), md);
        String without = PodMarkdown.render(PodFixture.report(PodFixture.results(List.of(Scenario.POD_DIRECT,
                Scenario.AMBIENT), 60, 42.45)));
        assertTrue(!without.contains("## Waypoint"), without);
    }

    @Test
    void notesCarryTheReportsNotesAndEveryRoundsErrors() {
        assertTrue(md.contains("- a note for the reader"), md);
        assertTrue(md.contains("- nginx-sidecar round 2: 3 error(s): status 502"), md);
    }

    @Test
    void everyTableRowHasAsManyCellsAsItsHeader() {
        int tables = 0;
        String[] lines = md.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("|") || (i > 0 && lines[i - 1].startsWith("|"))) {
                continue;
            }
            tables++;
            long cells = cells(lines[i]);
            for (int j = i + 1; j < lines.length && lines[j].startsWith("|"); j++) {
                assertEquals(cells, cells(lines[j]), lines[j]);
            }
        }
        assertEquals(7, tables, md);
    }

    private static long cells(String row) {
        return row.replace("\\|", "").chars().filter(c -> c == '|').count();
    }

    @Test
    void withoutSidecarGoalsAreNotEvaluatedAndNoColumnIsMissing() {
        String partial = PodMarkdown.render(PodFixture.report(PodFixture.results(List.of(Scenario.POD_DIRECT,
                Scenario.AMBIENT), 60, 42.45)));
        assertTrue(partial.contains("| ambient adds no more p99 latency than sidecar | **NOT EVALUATED** |"), partial);
        assertTrue(!partial.contains("| sidecar |"), partial);
    }
}

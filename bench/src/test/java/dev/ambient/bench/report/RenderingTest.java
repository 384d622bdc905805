package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderingTest {

    private final BenchReport report = ReportFixture.threeRounds(List.of(Scenario.DIRECT, Scenario.ZTUNNEL,
            Scenario.NGINX), 1500);

    @Test
    void markdownHasTheTablesTheCommandAndTheVerdicts() {
        String md = MarkdownReport.render(report, 1024);
        assertTrue(md.contains("java -cp <classpath> dev.ambient.bench.BenchMain --quick"), md);
        assertTrue(md.contains("took 4 min 5 s"), md);
        assertTrue(md.contains("| direct | 100 | 200 | 300 | 400 | 500 | — | — | — | 1000.0 | 0 |"), md);
        assertTrue(md.contains("| ztunnel | 150 | 300 | 450 | 600 | 750 | +50 | +100 | +150 | 1000.0 | 0 |"), md);
        assertTrue(md.contains("| nginx | 170 | 340 | 510 | 680 | 850 | +70 | +140 | +210 | 1000.0 | 3 |"), md);
        assertTrue(md.contains("| ztunnel | node-a | 0.100 | 100.0 | 80.0 |"), md);
        assertTrue(md.contains("| ztunnel | sum | 0.150 | 200.0 | 160.0 |"), md);
        assertTrue(md.contains("| nginx | nginx client | 0.040 | n/a | n/a |"), md);
        assertTrue(md.contains("| ztunnel | 1502 | 75% | 3/3 |"), md);
        assertTrue(md.contains("| ztunnel adds no more p50 latency than nginx | **PASS** |"), md);
        assertTrue(md.contains("- a note for the reader"), md);
        assertTrue(md.contains("- nginx round 2: 3 error(s): status 502"), md);
        assertTrue(md.contains("| 2 | nginx | 170 | 340 | 510 | 680 | 850 | 1000.0 | 3 | 0.080 | 80 / 200 | 802 |"), md);
    }

    @Test
    void aScenarioThatCouldNotRunIsSaidUpFront() {
        BenchReport partial = ReportFixture.threeRounds(List.of(Scenario.DIRECT, Scenario.ZTUNNEL), 1500);
        String md = MarkdownReport.render(partial, 1024);
        int warning = md.indexOf("> **The nginx scenario was not run:** nginx is not installed");
        assertTrue(warning > 0 && warning < md.indexOf("## Latency"), md);
        assertTrue(md.contains("| ztunnel adds no more p50 latency than nginx | **NOT EVALUATED** |"), md);
        assertTrue(JsonReport.render(partial, 1024).contains("\"nginx\": \"nginx is not installed\""));
    }

    @Test
    void jsonCarriesSettingsSummariesRoundsAndTargets() {
        String json = JsonReport.render(report, 1024);
        assertTrue(json.contains("\"schema\": \"" + JsonReport.SCHEMA + "\""), json);
        assertTrue(json.contains("\"seed\": \"0xabc\""), json);
        assertTrue(json.contains("\"requestBodyBytes\": 1024"), json);
        assertTrue(json.contains("\"cores\": 2"), json);
        assertTrue(json.contains("\"ztunnel\": {"), json);
        assertTrue(json.contains("\"verdict\": \"PASS\""), json);
        assertTrue(json.contains("\"measured\": 50,\n      \"limit\": 70,\n      \"unit\": \"µs\""), json);
        assertTrue(json.contains("\"latencyRounds\": ["), json);
        assertTrue(json.contains("\"bulkRounds\": ["), json);
        assertTrue(json.contains("\"errorSamples\": [\n        \"status 502\"\n      ]"), json);
    }
}

package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambient.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodJsonTest {

    private static final List<String> SCENARIO_KEYS = List.of("p50_us", "p90_us", "p99_us", "p999_us",
            "added_p50_us", "added_p90_us", "added_p99_us", "added_p999_us", "rate", "errors", "node_pss_mib",
            "node_rss_mib", "vcpu_per_krps", "node_vcpu_per_krps");

    private final String json = PodJson.render(PodFixture.report(PodFixture.results()));
    private final JsonNode root = parse(json);

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
        }
    }

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void hasEveryTopLevelKey() {
        assertTrue(keys(root).containsAll(List.of("machine", "settings", "scenarios", "memory_scaling",
                "mib_per_added_pod", "pod_ready_ms", "goals", "notes", "elapsed_s", "seed")), json);
        assertEquals(245, root.get("elapsed_s").asDouble());
        assertEquals("0xabc", root.get("seed").asText());
        assertEquals("a note for the reader", root.get("notes").get(0).asText());
        JsonNode machine = root.get("machine");
        assertTrue(keys(machine).containsAll(List.of("cores", "cpu_model", "kernel", "java", "transport",
                "mem_total_mib", "load_before", "load_after")), json);
        assertEquals(2, machine.get("cores").asInt());
        assertEquals("0.2 0.2 0.2", machine.get("load_after").asText());
    }

    @Test
    void settingsSayWhatRan() {
        JsonNode s = root.get("settings");
        assertEquals(2, s.get("pods_per_side").asInt());
        assertEquals(1000, s.get("rate").asInt());
        assertEquals(16, s.get("connections").asInt());
        assertEquals(1024, s.get("body_bytes").asInt());
        assertEquals(1, s.get("warmup_s").asDouble());
        assertEquals(3, s.get("duration_s").asDouble());
        assertEquals(2, s.get("rounds").asInt());
        assertEquals("[1,10,50]", s.get("scaling_pods").toString());
        assertTrue(s.get("quick").asBoolean());
        assertTrue(s.get("command").asText().endsWith("BenchMain --quick --scaling 1,10,50"), json);
    }

    @Test
    void everyScenarioHasEveryNumberInReportOrder() {
        JsonNode scenarios = root.get("scenarios");
        assertEquals(List.of("direct", "ambient", "ambient-waypoint", "sidecar", "haproxy-sidecar", "nginx-sidecar",
                "nginx-l7-sidecar"), keys(scenarios));
        for (String scenario : keys(scenarios)) {
            for (String key : SCENARIO_KEYS) {
                assertTrue(scenarios.get(scenario).has(key), scenario + " lacks " + key + "\n" + json);
            }
        }
        JsonNode ambient = scenarios.get("ambient");
        assertEquals(170, ambient.get("p50_us").asDouble());
        assertEquals(680, ambient.get("p999_us").asDouble());
        assertEquals(60, ambient.get("added_p50_us").asDouble());
        assertEquals(180, ambient.get("added_p99_us").asDouble());
        assertEquals(41.2, ambient.get("node_pss_mib").asDouble());
        assertEquals(95.3, ambient.get("node_rss_mib").asDouble());
        assertEquals(0.18, ambient.get("vcpu_per_krps").asDouble());
        assertEquals(0.7, ambient.get("node_vcpu_per_krps").asDouble());
        assertEquals(1000, ambient.get("rate").asDouble());
        assertEquals(2, ambient.get("mesh_processes").asInt());
        assertEquals(1, ambient.get("node_processes").asInt());
        assertEquals(3, scenarios.get("nginx-sidecar").get("errors").asLong());
    }

    @Test
    void whatDirectDoesNotHaveIsNull() {
        JsonNode direct = root.get("scenarios").get("direct");
        assertTrue(direct.get("vcpu_per_krps").isNull(), json);
        assertTrue(direct.get("node_pss_mib").isNull(), json);
        assertTrue(direct.get("node_rss_mib").isNull(), json);
        assertEquals(0, direct.get("added_p99_us").asDouble());
        assertTrue(direct.get("added_p99_us").isNumber());
        assertEquals(0.4, direct.get("node_vcpu_per_krps").asDouble());
        assertTrue(!json.contains("NaN"), json);
    }

    @Test
    void memoryScalingAndReadyTimesPerMode() {
        JsonNode scaling = root.get("memory_scaling");
        List<String> modes = List.of("ambient", "ambient-waypoint", "sidecar", "haproxy-sidecar", "nginx-sidecar",
                "nginx-l7-sidecar");
        assertEquals(modes, keys(scaling));
        for (String mode : keys(scaling)) {
            assertEquals(List.of("1", "10", "50"), keys(scaling.get(mode)), mode);
        }
        assertEquals(900, scaling.get("sidecar").get("50").asDouble());
        assertEquals(40.5, scaling.get("ambient").get("10").asDouble());
        JsonNode perPod = root.get("mib_per_added_pod");
        assertEquals(modes, keys(perPod));
        assertEquals(0.05, perPod.get("ambient").asDouble());
        assertEquals(17.99, perPod.get("sidecar").asDouble());
        JsonNode ready = root.get("pod_ready_ms").get("ambient");
        assertEquals(25, ready.get("median").asDouble());
        assertEquals(30, ready.get("max").asDouble());
        assertEquals(3, ready.get("count").asInt());
        assertTrue(!root.get("pod_ready_ms").has("direct"));
    }

    @Test
    void goalsCarryVerdictAndNumbers() {
        JsonNode goals = root.get("goals");
        assertEquals(5, goals.size());
        for (JsonNode g : goals) {
            assertTrue(keys(g).containsAll(List.of("goal", "verdict", "numbers", "measured", "limit", "unit")), json);
            assertEquals("PASS", g.get("verdict").asText(), g.toString());
        }
        assertEquals(180, goals.get(2).get("measured").asDouble());
        String missing = PodJson.render(PodFixture.report(PodFixture.results(List.of(
                Scenario.POD_DIRECT, Scenario.AMBIENT), 60, 42.45)));
        JsonNode notEvaluated = parse(missing).get("goals").get(0);
        assertEquals("NOT_EVALUATED", notEvaluated.get("verdict").asText());
        assertTrue(notEvaluated.get("measured").isNull(), missing);
    }

    @Test
    void theWaypointScenarioCarriesTheWaypointsOwnNumbers() {
        JsonNode waypoint = root.get("scenarios").get("ambient-waypoint").get("waypoint");
        assertEquals(List.of("added_p50_over_ambient_us", "added_p99_over_ambient_us",
                "added_p50_over_nginx_l7_sidecar_us", "added_p99_over_nginx_l7_sidecar_us", "vcpu_per_krps", "pss_mib",
                "rss_mib", "processes"), keys(waypoint), json);
        assertEquals(90, waypoint.get("added_p50_over_ambient_us").asDouble());
        assertEquals(270, waypoint.get("added_p99_over_ambient_us").asDouble());
        assertEquals(20, waypoint.get("added_p50_over_nginx_l7_sidecar_us").asDouble());
        assertEquals(60, waypoint.get("added_p99_over_nginx_l7_sidecar_us").asDouble());
        assertEquals(0.2, waypoint.get("vcpu_per_krps").asDouble());
        assertEquals(70.3, waypoint.get("pss_mib").asDouble());
        assertEquals(90.1, waypoint.get("rss_mib").asDouble());
        assertEquals(1, waypoint.get("processes").asInt());
        assertTrue(!root.get("scenarios").get("ambient").has("waypoint"), json);
    }

    @Test
    void roundsToTheReportedDecimals() {
        assertEquals(123.5, PodJson.round(123.456, 1));
        assertEquals(0.123, PodJson.round(0.12345, 3));
        assertTrue(Double.isNaN(PodJson.round(Double.POSITIVE_INFINITY, 1)));
    }

    @Test
    void aReportWithoutPodsIsABug() {
        BenchReport report = PodFixture.report(PodFixture.results());
        BenchReport none = new BenchReport(report.started(), report.elapsed(), report.seed(), report.commandLine(),
                report.machine(), report.settings(), report.scenarios(), report.notRun(), report.notes(),
                report.latency(), report.bulk(), report.memory(), report.capture(), Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> PodJson.render(none));
    }
}

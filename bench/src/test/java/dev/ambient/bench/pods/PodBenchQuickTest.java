package dev.ambient.bench.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambient.bench.BenchMain;
import dev.ambient.bench.Scenario;
import dev.ambient.daemonset.process.JavaCommand;
import dev.ambient.sys.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Root only, a few minutes: {@code mesh bench --quick} as a user runs it (its own JVM, a real local
 * cluster, every mode's processes), and its report.json holds every scenario with sane numbers, the
 * waypoint's own cost, memory at each pod count, pod-ready times and both charts; nothing of the
 * cluster is left behind.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PodBenchQuickTest {

    @Test
    void quickRunReportsEveryModeWithSaneNumbers() throws Exception {
        assertEquals("0", Commands.run("id", "-u").strip(),
                "the pod benchmark builds network namespaces, loads eBPF and installs iptables rules: run as root");
        Files.createDirectories(Path.of("target"));
        Path out = Files.createTempDirectory(Path.of("target"), "bench-quick-").toAbsolutePath();
        List<String> command = JavaCommand.of(List.of(), BenchMain.class.getName(),
                List.of("--quick", "--out", out.toString()));
        Path log = out.resolve("bench.log");
        Process bench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = bench.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            bench.destroy();
            bench.waitFor(30, TimeUnit.SECONDS);
        }
        String printed = Files.readString(log);
        assertTrue(finished && bench.exitValue() == 0, "mesh bench --quick failed:\n" + printed);
        assertTrue(printed.contains("round 1/2 latency"), "a progress line per run:\n" + printed);

        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode scenarios = report.get("scenarios");
        for (Scenario s : Scenario.PODS) {
            JsonNode n = scenarios.get(s.label());
            assertTrue(n != null, s.label() + " is missing from " + scenarios);
            String where = s.label() + ": " + n;
            assertEquals(0, n.get("errors").asLong(), where);
            assertTrue(n.get("rate").asDouble() > 900, "more than 900 of the offered 1000 requests/s: " + where);
            double p50 = n.get("p50_us").asDouble();
            double p90 = n.get("p90_us").asDouble();
            double p99 = n.get("p99_us").asDouble();
            assertTrue(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= n.get("p999_us").asDouble(), where);
            assertTrue(n.get("node_vcpu_per_krps").asDouble() > 0, where);
            if (s != Scenario.POD_DIRECT) {
                assertTrue(n.get("node_pss_mib").asDouble() > 0 && n.get("node_rss_mib").asDouble() > 0, where);
                assertTrue(n.get("vcpu_per_krps").asDouble() > 0, where);
                assertTrue(report.get("pod_ready_ms").get(s.label()).get("median").asDouble() > 0, report.toString());
            }
            boolean scaled = s != Scenario.POD_DIRECT && s != Scenario.AMBIENT_WAYPOINT
                    && s != Scenario.NGINX_L7_SIDECAR;
            JsonNode scaling = report.get("memory_scaling").get(s.label());
            assertEquals(scaled, scaling != null, "a quick run scales " + s.label() + ": " + scaled);
            if (scaled) {
                assertTrue(scaling.get("1").asDouble() > 0 && scaling.get("3").asDouble() > 0, s.label() + " " + scaling);
            }
        }
        waypointHasItsOwnNumbers(report, printed);
        JsonNode sidecarScaling = report.get("memory_scaling").get("sidecar");
        assertTrue(sidecarScaling.get("3").asDouble() > 2 * sidecarScaling.get("1").asDouble(),
                "three sidecars weigh about three times one: " + sidecarScaling);
        assertEquals(2, report.get("settings").get("pods_per_side").asInt());
        assertTrue(Files.size(out.resolve("latency.png")) > 5_000 && Files.size(out.resolve("memory.png")) > 5_000);
        assertTrue(Files.readString(out.resolve("report.md")).contains("haproxy-sidecar"));
        assertFalse(Commands.run("ip", "netns", "list").contains("am-bp"), "the bench's namespaces are gone");
        assertFalse(Commands.run("mount").contains(out.toString()), "its bpffs mounts are gone");
    }

    private static void waypointHasItsOwnNumbers(JsonNode report, String printed) {
        JsonNode w = report.get("scenarios").get(Scenario.AMBIENT_WAYPOINT.label()).get("waypoint");
        assertTrue(w != null && w.get("processes").asInt() == 1, "one waypoint process: " + w);
        assertTrue(w.get("vcpu_per_krps").asDouble() > 0, w.toString());
        assertTrue(w.get("pss_mib").asDouble() > 0 && w.get("rss_mib").asDouble() > 0, w.toString());
        for (String key : List.of("added_p50_over_ambient_us", "added_p99_over_ambient_us",
                "added_p50_over_nginx_l7_sidecar_us", "added_p99_over_nginx_l7_sidecar_us")) {
            assertTrue(w.get(key).isNumber(), key + ": " + w);
        }
        JsonNode goal = report.get("goals").get(4);
        assertTrue(goal.get("goal").asText().startsWith("waypoint added p50"), goal.toString());
        assertTrue(List.of("PASS", "MISS").contains(goal.get("verdict").asText()), "evaluated: " + goal);
        assertTrue(printed.contains("waypoint: adds p50 "), "a progress line for the waypoint:\n" + printed);
    }
}

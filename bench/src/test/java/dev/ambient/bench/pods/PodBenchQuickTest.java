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
 * Root only, about two minutes: {@code mesh bench --quick} as a user runs it (its own JVM, a real
 * local cluster, every mode's processes), and its report.json holds every scenario with sane numbers,
 * memory at each pod count, pod-ready times and both charts; nothing of the cluster is left behind.
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
            assertTrue(n.get("rate").asDouble() > 900, "close to the offered 1000 requests/s: " + where);
            double p50 = n.get("p50_us").asDouble();
            double p90 = n.get("p90_us").asDouble();
            double p99 = n.get("p99_us").asDouble();
            assertTrue(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= n.get("p999_us").asDouble(), where);
            assertTrue(n.get("node_vcpu_per_krps").asDouble() > 0, where);
            if (s != Scenario.POD_DIRECT) {
                assertTrue(n.get("node_pss_mib").asDouble() > 0 && n.get("node_rss_mib").asDouble() > 0, where);
                assertTrue(n.get("vcpu_per_krps").asDouble() > 0, where);
                JsonNode scaling = report.get("memory_scaling").get(s.label());
                assertTrue(scaling.get("1").asDouble() > 0 && scaling.get("3").asDouble() > 0, s.label() + " " + scaling);
                assertTrue(report.get("pod_ready_ms").get(s.label()).get("median").asDouble() > 0, report.toString());
            }
        }
        JsonNode sidecarScaling = report.get("memory_scaling").get("sidecar");
        assertTrue(sidecarScaling.get("3").asDouble() > 2 * sidecarScaling.get("1").asDouble(),
                "three sidecars weigh about three times one: " + sidecarScaling);
        assertEquals(2, report.get("settings").get("pods_per_side").asInt());
        assertTrue(Files.size(out.resolve("latency.png")) > 5_000 && Files.size(out.resolve("memory.png")) > 5_000);
        assertTrue(Files.readString(out.resolve("report.md")).contains("haproxy-sidecar"));
        assertFalse(Commands.run("ip", "netns", "list").contains("am-bp"), "the bench's namespaces are gone");
        assertFalse(Commands.run("mount").contains(out.toString()), "its bpffs mounts are gone");
    }
}

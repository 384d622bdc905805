package dev.ambient.bench.report;

import dev.ambient.bench.Bench;
import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code report.json} of the pod benchmark: summaries per mode, memory scaling, pod-ready times and
 * goals, then every latency run. Latency in µs and memory in MiB to 1 decimal, vCPU to 3; what was not
 * measured is null. Keys are snake_case so that scripts comparing runs can rely on them.
 */
public final class PodJson {

    /** Bump when a field changes meaning. */
    public static final String SCHEMA = "ambient-bench-pods/1";

    private PodJson() {}

    /** The report of {@code report}, whose pod results must be present. */
    public static String render(BenchReport report) {
        PodResults r = report.pods().orElseThrow(() -> new IllegalArgumentException("BUG: no pod results to render"));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("started", report.started().toString());
        root.put("machine", machine(report.machine()));
        root.put("settings", settings(report, r));
        Map<String, Object> scenarios = new LinkedHashMap<>();
        Optional<WaypointSummary> waypoint = WaypointSummary.of(r);
        for (PodSummary s : PodSummary.all(r)) {
            Map<String, Object> m = scenario(s);
            waypoint.filter(w -> s.scenario() == Scenario.AMBIENT_WAYPOINT).ifPresent(w -> m.put("waypoint", waypoint(w)));
            scenarios.put(s.scenario().label(), m);
        }
        root.put("scenarios", scenarios);
        Map<String, Object> scaling = new LinkedHashMap<>();
        Map<String, Object> perPod = new LinkedHashMap<>();
        for (PodScaling s : PodScaling.all(r)) {
            Map<String, Object> points = new LinkedHashMap<>();
            s.pssMib().forEach((pods, mib) -> points.put(String.valueOf(pods), round(mib, 1)));
            scaling.put(s.mode().label(), points);
            perPod.put(s.mode().label(), round(s.mibPerAddedPod(), 3));
        }
        root.put("memory_scaling", scaling);
        root.put("mib_per_added_pod", perPod);
        Map<String, Object> ready = new LinkedHashMap<>();
        for (PodReadiness p : PodReadiness.all(r)) {
            ready.put(p.mode().label(), Json.object("median", round(p.medianMillis(), 1), "max",
                    round(p.maxMillis(), 1), "count", p.count()));
        }
        root.put("pod_ready_ms", ready);
        root.put("goals", PodGoals.evaluate(r).stream().map(t -> (Object) Json.object("goal", t.goal(), "verdict",
                t.verdict().name(), "numbers", t.numbers(), "measured", t.measured(), "limit", t.limit(), "unit",
                t.unit())).toList());
        root.put("notes", report.notes());
        root.put("elapsed_s", report.elapsed().toMillis() / 1000.0);
        root.put("seed", "0x" + Long.toHexString(report.seed()));
        root.put("latency_rounds", r.rounds().stream().map(PodJson::round).toList());
        return Json.write(root);
    }

    private static Map<String, Object> machine(MachineFacts m) {
        return Json.object("cores", m.cores(), "cpu_model", m.cpuModel(), "kernel", m.kernel(), "java", m.java(),
                "transport", m.transport(), "mem_total_mib", m.memTotalMiB(), "load_before", m.loadBefore(),
                "load_after", m.loadAfter(), "nginx", m.nginx());
    }

    private static Map<String, Object> settings(BenchReport report, PodResults r) {
        BenchSettings s = report.settings();
        return Json.object("pods_per_side", r.pairs(), "rate", s.rate(), "connections", s.connections(),
                "body_bytes", Bench.BODY_BYTES, "warmup_s", s.warmup().toMillis() / 1000.0,
                "duration_s", s.duration().toMillis() / 1000.0, "rounds", s.rounds(), "scaling_pods",
                s.scalingPods(), "quick", s.quick(), "command", report.commandLine(), "arguments", s.arguments());
    }

    private static Map<String, Object> scenario(PodSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_us", round(s.p50(), 1));
        m.put("p90_us", round(s.p90(), 1));
        m.put("p99_us", round(s.p99(), 1));
        m.put("p999_us", round(s.p999(), 1));
        m.put("added_p50_us", round(s.addedP50(), 1));
        m.put("added_p90_us", round(s.addedP90(), 1));
        m.put("added_p99_us", round(s.addedP99(), 1));
        m.put("added_p999_us", round(s.addedP999(), 1));
        m.put("rate", round(s.achievedRate(), 1));
        m.put("errors", s.errors());
        m.put("node_pss_mib", round(s.pssMib(), 1));
        m.put("node_rss_mib", round(s.rssMib(), 1));
        m.put("vcpu_per_krps", round(s.vcpuPer1k(), 3));
        m.put("node_vcpu_per_krps", round(s.machineVcpuPer1k(), 3));
        m.put("node_processes", s.nodeProcesses());
        m.put("mesh_processes", s.meshProcesses());
        m.put("rounds", s.rounds());
        return m;
    }

    /** The waypoint's own numbers, inside its scenario. */
    private static Map<String, Object> waypoint(WaypointSummary w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added_p50_over_ambient_us", round(w.addedP50OverAmbient(), 1));
        m.put("added_p99_over_ambient_us", round(w.addedP99OverAmbient(), 1));
        m.put("added_p50_over_nginx_l7_sidecar_us", round(w.addedP50OverNginxL7(), 1));
        m.put("added_p99_over_nginx_l7_sidecar_us", round(w.addedP99OverNginxL7(), 1));
        m.put("vcpu_per_krps", round(w.vcpuPer1k(), 3));
        m.put("pss_mib", round(w.pssMib(), 1));
        m.put("rss_mib", round(w.rssMib(), 1));
        m.put("processes", w.processes());
        return m;
    }

    private static Map<String, Object> round(PodRound p) {
        LatencyRound r = p.run();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", r.round());
        m.put("scenario", r.scenario().label());
        m.put("p50_us", round(r.latency().p50(), 1));
        m.put("p90_us", round(r.latency().p90(), 1));
        m.put("p99_us", round(r.latency().p99(), 1));
        m.put("p999_us", round(r.latency().p999(), 1));
        m.put("max_us", round(r.latency().max(), 1));
        m.put("rate", round(r.achievedRate(), 1));
        m.put("errors", r.errors());
        m.put("vcpu_per_krps", round(r.totalVcpuPer1k(), 3));
        m.put("node_vcpu_per_krps", round(p.machineVcpuPer1k(), 3));
        m.put("hiccup_p99_us", round(r.hiccups().p99(), 1));
        m.put("error_samples", r.errorSamples());
        return m;
    }

    /** {@code value} to {@code decimals} decimals; NaN stays NaN, which the writer turns into null. */
    static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return Double.NaN;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}

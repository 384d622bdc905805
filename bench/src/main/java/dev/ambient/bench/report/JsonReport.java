package dev.ambient.bench.report;

import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.LatencySummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code report.json}: the whole run for machines, summaries and every per-round value. Times in µs. */
public final class JsonReport {

    /** Bump when a field changes meaning. */
    public static final String SCHEMA = "ambient-bench/1";

    private JsonReport() {}

    public static String render(BenchReport report, int bodyBytes) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("started", report.started().toString());
        root.put("elapsedSeconds", report.elapsed().toMillis() / 1000.0);
        root.put("seed", "0x" + Long.toHexString(report.seed()));
        root.put("commandLine", report.commandLine());
        root.put("machine", machine(report.machine()));
        root.put("settings", settings(report.settings(), bodyBytes));
        Map<String, Object> notRun = new LinkedHashMap<>();
        report.notRun().forEach((scenario, why) -> notRun.put(scenario.label(), why));
        root.put("notRun", notRun);
        root.put("notes", report.notes());
        Map<String, Object> scenarios = new LinkedHashMap<>();
        List<BulkSummary> bulk = report.bulkSummaries();
        for (ScenarioSummary s : report.summaries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", s.rounds());
            m.put("latencyMicros", Json.object("p50", s.p50(), "p90", s.p90(), "p99", s.p99(), "p999", s.p999(),
                    "max", s.max()));
            m.put("addedMicrosVsDirect", Json.object("p50", s.addedP50(), "p90", s.addedP90(), "p99", s.addedP99()));
            m.put("achievedRate", s.achievedRate());
            m.put("errors", s.errors());
            m.put("vcpuPer1kRps", s.vcpuPer1k());
            m.put("memory", report.memory().getOrDefault(s.scenario(), List.of()).stream()
                    .map(r -> (Object) Json.object("process", r.role(), "rssKiB", r.memory().rssKiB(),
                            "pssKiB", r.memory().pssKiB()))
                    .toList());
            bulk.stream().filter(b -> b.scenario() == s.scenario()).findFirst().ifPresent(b -> {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("megabytesPerSecond", b.megabytesPerSecond());
                bm.put("ratioToDirect", b.ratioToDirect());
                bm.put("okRounds", b.okRounds());
                bm.put("errors", b.errors());
                m.put("bulk", bm);
            });
            scenarios.put(s.scenario().label(), m);
        }
        root.put("scenarios", scenarios);
        root.put("latencyRounds", report.latency().stream().map(JsonReport::round).toList());
        root.put("bulkRounds", report.bulk().stream().map(JsonReport::bulkRound).toList());
        List<Object> targets = new ArrayList<>();
        for (TargetResult t : report.targets()) {
            targets.add(Json.object("goal", t.goal(), "verdict", t.verdict().name(), "measured", t.measured(),
                    "limit", t.limit(), "unit", t.unit(), "numbers", t.numbers()));
        }
        root.put("targets", targets);
        report.capture().ifPresent(c -> root.put("capture", CaptureJson.render(c)));
        return Json.write(root);
    }

    private static Map<String, Object> machine(MachineFacts m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", m.cores());
        out.put("cpuModel", m.cpuModel());
        out.put("kernel", m.kernel());
        out.put("java", m.java());
        out.put("transport", m.transport());
        out.put("memTotalMiB", m.memTotalMiB());
        out.put("loadAverageBefore", m.loadBefore());
        out.put("loadAverageAfter", m.loadAfter());
        out.put("nginx", m.nginx());
        return out;
    }

    private static Map<String, Object> settings(BenchSettings s, int bodyBytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("quick", s.quick());
        out.put("capture", s.capture());
        out.put("rate", s.rate());
        out.put("connections", s.connections());
        out.put("warmupSeconds", s.warmup().toMillis() / 1000.0);
        out.put("durationSeconds", s.duration().toMillis() / 1000.0);
        out.put("rounds", s.rounds());
        out.put("bulkBytes", s.bulkBytes());
        out.put("requestBodyBytes", bodyBytes);
        out.put("responseBodyBytes", bodyBytes);
        out.put("scenarios", s.scenarios().stream().map(Scenario::label).toList());
        out.put("outDir", s.outDir().toString());
        return out;
    }

    static Map<String, Object> round(LatencyRound r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("round", r.round());
        out.put("scenario", r.scenario().label());
        LatencySummary l = r.latency();
        out.put("latencyMicros", Json.object("p50", l.p50(), "p90", l.p90(), "p99", l.p99(), "p999", l.p999(),
                "max", l.max(), "count", l.count()));
        out.put("scheduled", r.scheduled());
        out.put("ok", r.ok());
        out.put("errors", r.errors());
        out.put("achievedRate", r.achievedRate());
        out.put("cores", r.cores());
        out.put("hiccupMicros", Json.object("p99", r.hiccups().p99(), "max", r.hiccups().max()));
        out.put("errorSamples", r.errorSamples());
        return out;
    }

    private static Map<String, Object> bulkRound(BulkRound r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("round", r.round());
        out.put("scenario", r.scenario().label());
        out.put("bytes", r.bytes());
        out.put("megabytesPerSecond", r.megabytesPerSecond());
        out.put("error", r.error());
        return out;
    }
}

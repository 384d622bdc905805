package dev.ambient.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code capture} object of report.json: summaries, checks, label trials and every round. Latency
 * in µs, label times in ms.
 */
final class CaptureJson {

    private CaptureJson() {}

    static Map<String, Object> render(CaptureResults c) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> pairs = new LinkedHashMap<>();
        c.pairs().forEach((s, pair) -> pairs.put(s.label(), pair));
        out.put("pods", pairs);
        Map<String, Object> scenarios = new LinkedHashMap<>();
        for (ScenarioSummary s : c.summaries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", s.rounds());
            m.put("latencyMicros", Json.object("p50", s.p50(), "p90", s.p90(), "p99", s.p99(), "p999", s.p999(),
                    "max", s.max()));
            m.put("addedMicrosVsNetnsDirect", Json.object("p50", s.addedP50(), "p90", s.addedP90(), "p99",
                    s.addedP99()));
            m.put("achievedRate", s.achievedRate());
            m.put("errors", s.errors());
            m.put("vcpuPer1kRps", s.vcpuPer1k());
            scenarios.put(s.scenario().label(), m);
        }
        out.put("scenarios", scenarios);
        out.put("agentMemory", c.agentMemory().stream().map(r -> (Object) Json.object("process", r.role(),
                "rssKiB", r.memory().rssKiB(), "pssKiB", r.memory().pssKiB())).toList());
        out.put("pathChecks", c.paths().stream().map(p -> (Object) Json.object("round", p.round(), "scenario",
                p.scenario().label(), "nodeA", p.nodeA(), "nodeB", p.nodeB(), "problem", p.problem())).toList());
        out.put("beforeAgents", c.beforeAgents().stream().map(b -> {
            Map<String, Object> m = JsonReport.round(b.run());
            m.put("pods", b.pair());
            return (Object) m;
        }).toList());
        FlipSummary f = c.flipSummary();
        out.put("labelToCapture", Json.object("trials", f.trials(), "captured", f.captured(), "medianMillis",
                f.medianMillis(), "maxMillis", f.maxMillis(), "medianOffMillis", f.medianOffMillis(),
                "probeStepMillis", c.probeStepMillis(), "every", trials(c.flips())));
        out.put("latencyRounds", c.latency().stream().map(JsonReport::round).toList());
        return out;
    }

    private static List<Object> trials(List<FlipTrial> flips) {
        return flips.stream().map(t -> (Object) Json.object("trial", t.trial(), "onMillis", t.onMillis(),
                "onConnections", t.onConnections(), "offMillis", t.offMillis(), "error", t.error())).toList();
    }
}

package dev.ambient.bench.report;

import dev.ambient.bench.Bench;
import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.ByteSizes;
import dev.ambient.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code report.md} of the pod benchmark: the modes side by side as a person reads them, latency and
 * cost first, then how node memory grows with pods, how long pods wait for the mesh, and the goals.
 */
public final class PodMarkdown {

    /** The chart of added latency that {@link PodCharts} writes beside the report. */
    static final String LATENCY_CHART = "latency.png";
    /** The chart of node memory against pods per node. */
    static final String MEMORY_CHART = "memory.png";

    private PodMarkdown() {}

    /** The report of {@code report}, whose pod results must be present. */
    public static String render(BenchReport report) {
        PodResults r = report.pods().orElseThrow(() -> new IllegalArgumentException("BUG: no pod results to render"));
        StringBuilder md = new StringBuilder("# Pod benchmark: ambient against sidecars\n\n");
        md.append("```\n").append(report.commandLine()).append("\n```\n\n");
        MarkdownReport.machine(md, report);
        method(md, report.settings(), r);
        List<PodSummary> summaries = PodSummary.all(r);
        latency(md, summaries);
        cost(md, summaries);
        WaypointSummary.of(r).ifPresent(w -> waypoint(md, w));
        scaling(md, PodScaling.all(r));
        ready(md, PodReadiness.all(r));
        goals(md, PodGoals.evaluate(r));
        notes(md, report, r);
        return md.toString();
    }

    private static void method(StringBuilder md, BenchSettings s, PodResults r) {
        md.append(r.pairs()).append(" client pods called ").append(r.pairs()).append(" server pods on another node"
                + " of a local cluster, in each mode (").append(String.join(", ", r.scenarios().stream()
                        .map(Scenario::label).toList())).append("): HTTP/1.1 POST of ")
                .append(ByteSizes.format(Bench.BODY_BYTES)).append(" echoed back, ").append(s.rate())
                .append(" req/s open loop over ").append(s.connections()).append(" keep-alive connections, ")
                .append(s.warmup().toSeconds()).append(" s warm-up + ").append(s.duration().toSeconds())
                .append(" s recorded per run, ").append(s.rounds()).append(" round(s). Each number is the median"
                        + " over rounds; added latency is the median of per-round differences to direct.\n\n");
    }

    private static void latency(StringBuilder md, List<PodSummary> summaries) {
        md.append("## Latency (µs)\n\n");
        MarkdownTable table = new MarkdownTable(1, "mode", "p50", "p90", "p99", "p99.9", "added p50", "added p90",
                "added p99", "added p99.9", "achieved req/s", "errors");
        for (PodSummary s : summaries) {
            boolean direct = s.scenario() == Scenario.POD_DIRECT;
            table.row(s.scenario().label(), Format.number(s.p50(), 0), Format.number(s.p90(), 0),
                    Format.number(s.p99(), 0), Format.number(s.p999(), 0), added(s.addedP50(), direct),
                    added(s.addedP90(), direct), added(s.addedP99(), direct), added(s.addedP999(), direct),
                    Format.number(s.achievedRate(), 1), s.errors());
        }
        table.appendTo(md);
        if (summaries.stream().anyMatch(s -> s.scenario() != Scenario.POD_DIRECT)) {
            md.append("![Added latency over direct](").append(LATENCY_CHART).append(")\n\n");
        }
    }

    private static void cost(StringBuilder md, List<PodSummary> summaries) {
        md.append("## Cost\n\n");
        md.append("Node memory: PSS and RSS summed over the mode's mesh processes on the node where they were"
                + " largest, after the last round (PSS splits shared pages between the processes). Mesh vCPU: cores"
                + " all its mesh processes kept busy on every node per 1000 req/s; machine vCPU: the whole machine"
                + " (every node, the load generator and the servers).\n\n");
        MarkdownTable table = new MarkdownTable(1, "mode", "mesh processes", "on the node", "node PSS MiB",
                "node RSS MiB", "mesh vCPU per 1000 req/s", "machine vCPU per 1000 req/s");
        for (PodSummary s : summaries) {
            boolean direct = s.scenario() == Scenario.POD_DIRECT;
            table.row(s.scenario().label(), s.meshProcesses(), s.nodeProcesses(),
                    none(Format.number(s.pssMib(), 1), direct), none(Format.number(s.rssMib(), 1), direct),
                    none(Format.number(s.vcpuPer1k(), 3), direct), Format.number(s.machineVcpuPer1k(), 3));
        }
        table.appendTo(md);
    }

    private static void waypoint(StringBuilder md, WaypointSummary w) {
        md.append("## Waypoint\n\n");
        md.append("ambient-waypoint against ambient is the waypoint's own hop (HBONE in, HTTP/1.1 parsed, authorized"
                + " and routed, HBONE out); against nginx-l7-sidecar it is the gap to an nginx L7 pair with pooled"
                + " mutual-TLS connections. Medians of per-round differences. CPU and memory are the waypoint"
                + " process's own, also contained in the mode's totals above.\n\n");
        MarkdownTable table = new MarkdownTable(1, "waypoint", "p50 µs", "p99 µs");
        table.row("added over ambient", Format.signed(w.addedP50OverAmbient()), Format.signed(w.addedP99OverAmbient()));
        table.row("against nginx-l7-sidecar", Format.signed(w.addedP50OverNginxL7()),
                Format.signed(w.addedP99OverNginxL7()));
        table.appendTo(md);
        MarkdownTable cost = new MarkdownTable(1, "waypoint processes", "vCPU per 1000 req/s", "PSS MiB", "RSS MiB");
        cost.row(w.processes(), Format.number(w.vcpuPer1k(), 3), Format.number(w.pssMib(), 1),
                Format.number(w.rssMib(), 1));
        cost.appendTo(md);
    }

    private static void scaling(StringBuilder md, List<PodScaling> scaling) {
        if (scaling.isEmpty()) {
            return;
        }
        md.append("## Node memory against pods per node (PSS, MiB)\n\n");
        SortedSet<Integer> counts = new TreeSet<>();
        scaling.forEach(s -> counts.addAll(s.pssMib().keySet()));
        List<String> headers = new ArrayList<>(List.of("mode"));
        counts.forEach(n -> headers.add(n + (n == 1 ? " pod" : " pods")));
        headers.add("MiB per added pod");
        MarkdownTable table = new MarkdownTable(1, headers.toArray(String[]::new));
        for (PodScaling s : scaling) {
            List<Object> cells = new ArrayList<>(List.of(s.mode().label()));
            counts.forEach(n -> cells.add(MarkdownReport.dash(Format.number(s.pssAt(n), 1))));
            cells.add(Format.number(s.mibPerAddedPod(), 3));
            table.row(cells.toArray());
        }
        table.appendTo(md);
        md.append("![Node memory against pods per node](").append(MEMORY_CHART).append(")\n\n");
    }

    private static void ready(StringBuilder md, List<PodReadiness> ready) {
        if (ready.isEmpty()) {
            return;
        }
        md.append("## Pod ready (ms)\n\n");
        md.append("Sidecars: from starting the proxy to the proxy being ready. Ambient: from the pod appearing in"
                + " the workload source to its node agent enrolling it.\n\n");
        MarkdownTable table = new MarkdownTable(1, "mode", "pods timed", "median", "max");
        for (PodReadiness p : ready) {
            table.row(p.mode().label(), p.count(), Format.number(p.medianMillis(), 1),
                    Format.number(p.maxMillis(), 1));
        }
        table.appendTo(md);
    }

    private static void goals(StringBuilder md, List<TargetResult> goals) {
        md.append("## Goals\n\n");
        MarkdownTable table = new MarkdownTable(3, "goal", "result", "numbers");
        for (TargetResult t : goals) {
            table.row(t.goal(), "**" + t.verdict().label() + "**", t.numbers());
        }
        table.appendTo(md);
    }

    private static void notes(StringBuilder md, BenchReport report, PodResults r) {
        List<String> errors = r.rounds().stream().map(PodRound::run).filter(run -> run.errors() > 0)
                .map(run -> run.scenario().label() + " round " + run.round() + ": " + run.errors() + " error(s): "
                        + String.join("; ", run.errorSamples()))
                .toList();
        if (report.notes().isEmpty() && errors.isEmpty()) {
            return;
        }
        md.append("## Notes\n\n");
        report.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        errors.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append('\n');
    }

    /** Added latency with its sign; direct is the baseline, so it has none. */
    private static String added(double micros, boolean direct) {
        return direct ? "—" : Format.signed(micros);
    }

    /** Direct runs no mesh process, so it has no mesh memory or CPU rather than a missing one. */
    private static String none(String value, boolean direct) {
        return direct ? MarkdownReport.dash(value) : value;
    }
}

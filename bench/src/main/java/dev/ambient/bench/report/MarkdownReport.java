package dev.ambient.bench.report;

import dev.ambient.bench.ByteSizes;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.proc.ProcMemory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code report.md}: the run as a person reads it, tables first, then how it was measured and what to watch for. */
public final class MarkdownReport {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private MarkdownReport() {}

    public static String render(BenchReport report, int bodyBytes) {
        StringBuilder md = new StringBuilder();
        md.append("# ztunnel benchmark\n\n");
        md.append("```\n").append(report.commandLine()).append("\n```\n\n");
        report.notRun().forEach((scenario, why) -> md.append("> **The ").append(scenario.label())
                .append(" scenario was not run:** ").append(why).append("\n\n"));
        machine(md, report);
        var s = report.settings();
        if (!report.scenarios().isEmpty()) {
            loopback(md, report, bodyBytes);
        }
        report.capture().ifPresent(c -> CaptureMarkdown.render(md, c, s, bodyBytes));
        targets(md, report);
        notes(md, report);
        if (!report.scenarios().isEmpty()) {
            rounds(md, report);
        }
        return md.toString();
    }

    /** When the run was, how long it took, its seed, and the machine it ran on. */
    static void machine(StringBuilder md, BenchReport report) {
        MachineFacts m = report.machine();
        md.append("Run ").append(WHEN.format(report.started())).append(", took ").append(duration(report.elapsed()))
                .append(", seed 0x").append(Long.toHexString(report.seed())).append(".  \n");
        md.append("Machine: ").append(m.cores()).append(" cores (").append(m.cpuModel()).append("), ")
                .append(m.memTotalMiB() / 1024).append(" GiB, Linux ").append(m.kernel()).append(", Java ")
                .append(m.java()).append(", Netty ").append(m.transport()).append(", ").append(m.nginx()).append(".  \n");
        md.append("Load average (1/5/15 min): ").append(m.loadBefore()).append(" before, ").append(m.loadAfter())
                .append(" after.\n\n");
    }

    /** The loopback comparison of proxies: method, latency, cost and bulk tables. */
    private static void loopback(StringBuilder md, BenchReport report, int bodyBytes) {
        var s = report.settings();
        md.append("Method: HTTP/1.1 POST of ").append(ByteSizes.format(bodyBytes)).append(" echoed back (")
                .append(ByteSizes.format(bodyBytes)).append(" response), ").append(s.rate())
                .append(" req/s open loop over ").append(s.connections())
                .append(" keep-alive connections; latency runs from each request's scheduled send time, so queueing"
                        + " behind a slow response counts. Each run: ").append(s.warmup().toSeconds())
                .append(" s warm-up (discarded) + ").append(s.duration().toSeconds()).append(" s recorded, after one"
                        + " unrecorded priming run and bulk transfer per path. ")
                .append(s.rounds()).append(" round(s), scenario order shuffled per round; each number is the median"
                        + " over rounds, added latency the median of per-round differences to direct.\n\n");
        latency(md, report);
        cost(md, report);
        bulk(md, report);
    }

    private static void latency(StringBuilder md, BenchReport report) {
        md.append("## Latency (µs)\n\n");
        md.append("| scenario | p50 | p90 | p99 | p99.9 | max | added p50 | added p90 | added p99 | achieved req/s | errors |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioSummary s : report.summaries()) {
            md.append("| ").append(s.scenario().label())
                    .append(" | ").append(Format.number(s.p50(), 0))
                    .append(" | ").append(Format.number(s.p90(), 0))
                    .append(" | ").append(Format.number(s.p99(), 0))
                    .append(" | ").append(Format.number(s.p999(), 0))
                    .append(" | ").append(Format.number(s.max(), 0))
                    .append(" | ").append(dash(Format.signed(s.addedP50())))
                    .append(" | ").append(dash(Format.signed(s.addedP90())))
                    .append(" | ").append(dash(Format.signed(s.addedP99())))
                    .append(" | ").append(Format.number(s.achievedRate(), 1))
                    .append(" | ").append(s.errors()).append(" |\n");
        }
        md.append('\n');
    }

    private static void cost(StringBuilder md, BenchReport report) {
        List<ScenarioSummary> proxied = report.summaries().stream().filter(s -> !s.vcpuPer1k().isEmpty()).toList();
        if (proxied.isEmpty()) {
            return;
        }
        md.append("## Proxy cost\n\n");
        md.append("CPU over the recorded window of each latency run (utime+stime from /proc, descendants and the"
                + " children they waited for included), as cores per 1000 req/s; memory after the last round (nginx:"
                + " master + worker).\n\n");
        md.append("| scenario | process | vCPU per 1000 req/s | RSS MiB | PSS MiB |\n");
        md.append("|---|---|---:|---:|---:|\n");
        for (ScenarioSummary s : proxied) {
            List<MemoryReading> memory = report.memory().getOrDefault(s.scenario(), List.of());
            ProcMemory total = new ProcMemory(0, 0);
            for (Map.Entry<String, Double> e : s.vcpuPer1k().entrySet()) {
                Optional<ProcMemory> mem = memory.stream().filter(r -> r.role().equals(e.getKey()))
                        .map(MemoryReading::memory).findFirst();
                if (e.getKey().equals(ScenarioSummary.SUM)) {
                    mem = memory.isEmpty() ? Optional.empty() : Optional.of(total);
                } else if (mem.isPresent()) {
                    total = total.plus(mem.get());
                }
                md.append("| ").append(s.scenario().label()).append(" | ").append(e.getKey())
                        .append(" | ").append(Format.number(e.getValue(), 3))
                        .append(" | ").append(mem.map(x -> Format.mebibytes(x.rssKiB())).orElse("n/a"))
                        .append(" | ").append(mem.map(x -> Format.mebibytes(x.pssKiB())).orElse("n/a")).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void bulk(StringBuilder md, BenchReport report) {
        md.append("## Bulk throughput, one connection\n\n");
        md.append(ByteSizes.format(report.settings().bulkBytes()))
                .append(" from the client pod to a sink on the server pod that answers with its byte count at EOF;"
                        + " MB/s = 10^6 bytes/s, median of rounds.\n\n");
        md.append("| scenario | MB/s | vs direct | transfers ok |\n|---|---:|---:|---:|\n");
        for (BulkSummary b : report.bulkSummaries()) {
            md.append("| ").append(b.scenario().label()).append(" | ").append(Format.number(b.megabytesPerSecond(), 0))
                    .append(" | ").append(b.scenario() == Scenario.DIRECT ? "—" : Format.percent(b.ratioToDirect()))
                    .append(" | ").append(b.okRounds()).append('/').append(report.bulk(b.scenario()).size())
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void targets(StringBuilder md, BenchReport report) {
        md.append("## Targets\n\n| target | result | numbers |\n|---|---|---|\n");
        for (TargetResult t : report.targets()) {
            md.append("| ").append(t.goal()).append(" | **").append(t.verdict().label()).append("** | ")
                    .append(t.numbers()).append(" |\n");
        }
        md.append('\n');
    }

    private static void notes(StringBuilder md, BenchReport report) {
        List<LatencyRound> all = new java.util.ArrayList<>(report.latency());
        report.capture().ifPresent(c -> all.addAll(c.latency()));
        List<String> errors = all.stream().filter(r -> r.errors() > 0)
                .map(r -> r.scenario().label() + " round " + r.round() + ": " + r.errors() + " error(s): "
                        + String.join("; ", r.errorSamples()))
                .toList();
        List<String> bulkErrors = report.bulk().stream().filter(r -> !r.ok())
                .map(r -> r.scenario().label() + " bulk round " + r.round() + ": " + r.error()).toList();
        if (report.notes().isEmpty() && errors.isEmpty() && bulkErrors.isEmpty()) {
            return;
        }
        md.append("## Notes\n\n");
        report.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        errors.forEach(n -> md.append("- ").append(n).append('\n'));
        bulkErrors.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append('\n');
    }

    private static void rounds(StringBuilder md, BenchReport report) {
        md.append("## Every round\n\n");
        md.append("Latency in µs. Hiccups: how late a 1 ms sleep in the bench JVM woke up during the same window"
                + " (p99 / max, µs); large hiccups mean the machine, not the path, stalled.\n\n");
        md.append("| round | scenario | p50 | p90 | p99 | p99.9 | max | req/s | errors | vCPU/1k req/s | hiccups |"
                + " bulk MB/s |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LatencyRound r : report.latency()) {
            String bulk = report.bulk().stream().filter(b -> b.round() == r.round() && b.scenario() == r.scenario())
                    .findFirst().map(b -> b.ok() ? Format.number(b.megabytesPerSecond(), 0) : "failed").orElse("—");
            md.append("| ").append(r.round()).append(" | ").append(r.scenario().label())
                    .append(" | ").append(Format.number(r.latency().p50(), 0))
                    .append(" | ").append(Format.number(r.latency().p90(), 0))
                    .append(" | ").append(Format.number(r.latency().p99(), 0))
                    .append(" | ").append(Format.number(r.latency().p999(), 0))
                    .append(" | ").append(Format.number(r.latency().max(), 0))
                    .append(" | ").append(Format.number(r.achievedRate(), 1))
                    .append(" | ").append(r.errors())
                    .append(" | ").append(r.cores().isEmpty() ? "—" : Format.number(r.totalVcpuPer1k(), 3))
                    .append(" | ").append(Format.number(r.hiccups().p99(), 0)).append(" / ")
                    .append(Format.number(r.hiccups().max(), 0))
                    .append(" | ").append(bulk).append(" |\n");
        }
        md.append('\n');
    }

    /** A dash in place of n/a, for a value that does not apply rather than one that is missing. */
    static String dash(String value) {
        return value.equals("n/a") ? "—" : value;
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }
}

package dev.ambient.bench.report;

import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.ByteSizes;
import dev.ambient.bench.Scenario;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The "Capture" section of report.md: how the capture benchmark ran, its tables, and the label trials. */
final class CaptureMarkdown {

    private CaptureMarkdown() {}

    static void render(StringBuilder md, CaptureResults c, BenchSettings s, int bodyBytes) {
        md.append("## Capture\n\n");
        md.append("A local cluster built for the run: four nodes and seven pods as network namespaces on this machine"
                + " (a veth per pod, the nodes on one bridge), a node agent (ztunnel + eBPF capture, `mesh agent`) on"
                + " node-a and node-b. Load: HTTP/1.1 POST of ").append(ByteSizes.format(bodyBytes))
                .append(" echoed back, ").append(s.rate()).append(" req/s open loop over ").append(s.connections())
                .append(" keep-alive connections opened inside the client pod's namespace to the server pod's IP,"
                        + " latency from each request's scheduled send time. Each run: ")
                .append(s.warmup().toSeconds()).append(" s warm-up (discarded) + ").append(s.duration().toSeconds())
                .append(" s recorded; ").append(s.rounds()).append(" round(s) with the four scenarios in a freshly"
                        + " shuffled order in every round; each number is the median over rounds, added latency the"
                        + " median of per-round differences to netns-direct.\n\n");
        md.append("Scenario order: netns-direct needs a path with no program attached, but an agent's links are"
                + " pinned and outlive it (capture fails closed by design), so stopping the agents would not remove"
                + " the programs, and restarting them every round would measure a cold JIT. netns-direct therefore"
                + " runs between node-c and node-d, which never get an agent and are built exactly like node-a and"
                + " node-b, interleaved with the other three scenarios in every round. Before any agent started,"
                + " both pairs were measured once to show they are alike (below). The three paths through node-a"
                + " and node-b were primed once, unrecorded, after the agents started.\n\n");
        latency(md, c);
        cost(md, c);
        paths(md, c);
        before(md, c);
        labels(md, c);
        rounds(md, c);
    }

    private static void latency(StringBuilder md, CaptureResults c) {
        md.append("### Latency (µs)\n\n");
        md.append("| scenario | pods | p50 | p90 | p99 | p99.9 | added p50 | added p90 | added p99 | achieved req/s"
                + " | errors |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioSummary s : c.summaries()) {
            md.append("| ").append(s.scenario().label()).append(" | ").append(c.pairs().get(s.scenario()))
                    .append(" | ").append(Format.number(s.p50(), 0))
                    .append(" | ").append(Format.number(s.p90(), 0))
                    .append(" | ").append(Format.number(s.p99(), 0))
                    .append(" | ").append(Format.number(s.p999(), 0))
                    .append(" | ").append(dash(Format.signed(s.addedP50())))
                    .append(" | ").append(dash(Format.signed(s.addedP90())))
                    .append(" | ").append(dash(Format.signed(s.addedP99())))
                    .append(" | ").append(Format.number(s.achievedRate(), 1))
                    .append(" | ").append(s.errors()).append(" |\n");
        }
        md.append('\n');
    }

    private static void cost(StringBuilder md, CaptureResults c) {
        md.append("### Agent cost\n\n");
        md.append("CPU of the two agent processes over the recorded window of each run, as cores per 1000 req/s:"
                + " utime+stime from /proc, plus cutime+cstime for the commands an agent runs and waits for (its"
                + " reconciler runs `ip` every second). netns-direct crosses no agent's node.\n\n");
        md.append("| scenario | agent node-a | agent node-b | both |\n|---|---:|---:|---:|\n");
        for (ScenarioSummary s : c.summaries()) {
            if (s.vcpuPer1k().isEmpty()) {
                continue;
            }
            Map<String, Double> v = s.vcpuPer1k();
            md.append("| ").append(s.scenario().label()).append(" | ").append(Format.number(get(v, "agent node-a"), 3))
                    .append(" | ").append(Format.number(get(v, "agent node-b"), 3))
                    .append(" | ").append(Format.number(get(v, ScenarioSummary.SUM), 3)).append(" |\n");
        }
        md.append('\n');
        if (!c.agentMemory().isEmpty()) {
            md.append("Memory after the last round:");
            for (MemoryReading m : c.agentMemory()) {
                md.append(' ').append(m.role()).append(" RSS ").append(Format.mebibytes(m.memory().rssKiB()))
                        .append(" MiB (PSS ").append(Format.mebibytes(m.memory().pssKiB())).append(" MiB);");
            }
            md.setLength(md.length() - 1);
            md.append(".\n\n");
        }
    }

    private static void paths(StringBuilder md, CaptureResults c) {
        md.append("### Path checks\n\n");
        md.append("What both agents' counters did during each run, median per run: new flows the programs handed to"
                + " ztunnel and packets they saw and left alone (`ambient_capture_packets_total` by decision), and"
                + " connections node-b's ztunnel accepted over mutual TLS (`istio_tcp_connections_opened_total`,"
                + " reporter destination). HBONE connections are pooled: the one node-a opened while priming carries"
                + " every later client connection as a stream, so node-b captures no new HBONE flow per run.\n\n");
        md.append("| scenario | node-a outbound_new | node-b accepted over mTLS | node-b hbone_new | inbound_new (a+b)"
                + " | bypass (a / b) | runs as intended |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario s : c.scenarios()) {
            List<PathCheckRound> runs = c.paths(s);
            if (runs.isEmpty()) {
                md.append("| ").append(s.label()).append(" | — | — | — | — | — | no agent on its nodes |\n");
                continue;
            }
            md.append("| ").append(s.label())
                    .append(" | ").append(median(runs, r -> r.nodeA().getOrDefault("outbound_new", 0L)))
                    .append(" | ").append(median(runs, r -> r.nodeB().getOrDefault("mutual_tls_accepted", 0L)))
                    .append(" | ").append(median(runs, r -> r.nodeB().getOrDefault("hbone_new", 0L)))
                    .append(" | ").append(median(runs, r -> r.nodeA().getOrDefault("inbound_new", 0L)
                            + r.nodeB().getOrDefault("inbound_new", 0L)))
                    .append(" | ").append(median(runs, r -> r.nodeA().getOrDefault("bypass", 0L))).append(" / ")
                    .append(median(runs, r -> r.nodeB().getOrDefault("bypass", 0L)))
                    .append(" | ").append(runs.stream().filter(PathCheckRound::ok).count()).append('/')
                    .append(runs.size()).append(" |\n");
        }
        md.append('\n');
    }

    private static void before(StringBuilder md, CaptureResults c) {
        if (c.beforeAgents().isEmpty()) {
            return;
        }
        md.append("### Before the agents started\n\n");
        md.append("No agent and no program anywhere: the baseline pair and the pair of netns-direct-attached, one run"
                + " each (µs).\n\n");
        md.append("| pods | p50 | p90 | p99 | p99.9 | achieved req/s | errors |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (BaselineCheck b : c.beforeAgents()) {
            LatencyRound r = b.run();
            md.append("| ").append(b.pair()).append(" | ").append(Format.number(r.latency().p50(), 0))
                    .append(" | ").append(Format.number(r.latency().p90(), 0))
                    .append(" | ").append(Format.number(r.latency().p99(), 0))
                    .append(" | ").append(Format.number(r.latency().p999(), 0))
                    .append(" | ").append(Format.number(r.achievedRate(), 1))
                    .append(" | ").append(r.errors()).append(" |\n");
        }
        md.append('\n');
    }

    private static void labels(StringBuilder md, CaptureResults c) {
        md.append("### Label change to capture\n\n");
        FlipSummary f = c.flipSummary();
        md.append("With the agents running, namespace flip's label `istio.io/dataplane-mode: ambient` was written"
                + " into the mesh file (one rename; the agents watch its directory), then flip/client (node-a)"
                + " opened a new connection to plain/server every ~5 ms and node-a's"
                + " `ambient_capture_packets_total{decision=\"outbound_new\"}` was read on :15020 after each, until"
                + " one was captured (at most 10 s); then the label was removed until a connection was not"
                + " captured, and the pod left the mesh entirely before the next trial. One connection every ")
                .append(Format.number(c.probeStepMillis(), 1)).append(" ms (median): the resolution.\n\n");
        md.append("**Label to capture: median ").append(Format.number(f.medianMillis(), 1)).append(" ms, max ")
                .append(Format.number(f.maxMillis(), 1)).append(" ms** (").append(f.captured()).append('/')
                .append(f.trials()).append(" trials captured); label removed to a connection left alone: median ")
                .append(Format.number(f.medianOffMillis(), 1)).append(" ms.\n\n");
        md.append("| trial | label written → captured, ms | connections opened | label removed → left alone, ms |"
                + " problem |\n|---:|---:|---:|---:|---|\n");
        for (FlipTrial t : c.flips()) {
            md.append("| ").append(t.trial()).append(" | ").append(Format.number(t.onMillis(), 1)).append(" | ")
                    .append(t.onConnections()).append(" | ").append(Format.number(t.offMillis(), 1)).append(" | ")
                    .append(t.error().isEmpty() ? "—" : t.error()).append(" |\n");
        }
        md.append('\n');
    }

    private static void rounds(StringBuilder md, CaptureResults c) {
        md.append("### Every capture round\n\n");
        md.append("Latency in µs; vCPU of both agents per 1000 req/s; hiccups: how late a 1 ms sleep in the bench JVM"
                + " woke up in the same window (p99 / max, µs).\n\n");
        md.append("| round | scenario | p50 | p90 | p99 | p99.9 | max | req/s | errors | vCPU/1k req/s | hiccups |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LatencyRound r : c.latency()) {
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
                    .append(Format.number(r.hiccups().max(), 0)).append(" |\n");
        }
        md.append('\n');
    }

    private static double get(Map<String, Double> values, String key) {
        return values.getOrDefault(key, Double.NaN);
    }

    private static String median(List<PathCheckRound> runs, ToLongFunction<PathCheckRound> value) {
        return Format.number(Stats.median(runs.stream().map(r -> (double) value.applyAsLong(r)).toList()), 0);
    }

    private static String dash(String value) {
        return value.equals("n/a") ? "—" : value;
    }
}

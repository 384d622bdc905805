package dev.ambient.bench.pods;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.LatencyRunner;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.Shuffle;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.LoadGenerator;
import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.bench.proc.MachineCpu;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.report.LatencyRound;
import dev.ambient.bench.report.NodeMemory;
import dev.ambient.bench.report.PodResults;
import dev.ambient.bench.report.PodRound;
import dev.ambient.bench.report.ReadyTime;
import dev.ambient.bench.report.ScalingPoint;
import dev.ambient.bench.report.WaypointSummary;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code mesh bench}: N client pods calling N server pods on another node, in every mode side by
 * side in one cluster (each mode on its own two nodes), measured in rounds that interleave the modes
 * in a fresh random order; then each mode's node memory as pods are added ({@link ScalingRun}).
 */
public final class PodBench {

    private static final int LABEL_WIDTH = 15;

    private final BenchSettings settings;
    private final Path work;
    private final Transport transport;
    private final Consumer<String> say;
    private final List<String> problems = new ArrayList<>();

    public PodBench(BenchSettings settings, Path work, Transport transport, Consumer<String> say) {
        this.settings = settings;
        this.work = work;
        this.transport = transport;
        this.say = say;
    }

    public PodResults run(SplittableRandom random) throws BenchException, InterruptedException {
        EventLoopGroup servers = transport.newGroup(1, new DefaultThreadFactory("bench-upstream", true));
        EventLoopGroup clients = transport.newGroup(1, new DefaultThreadFactory("bench-client", true));
        List<PodRound> rounds = new ArrayList<>();
        Map<Scenario, NodeMemory> memory = new EnumMap<>(Scenario.class);
        Map<Scenario, NodeMemory> waypoints = new EnumMap<>(Scenario.class);
        Map<Scenario, Integer> processes = new EnumMap<>(Scenario.class);
        List<ReadyTime> ready = new ArrayList<>();
        PodLayout layout = PodLayout.of(settings.scenarios(), settings.pairs());
        say.accept(String.format(Locale.ROOT, "building the local cluster: %d modes × %d client and %d server pods,"
                + " each mode on its own two nodes", layout.groups().size(), settings.pairs(), settings.pairs()));
        Map<Scenario, ModeProcesses> modes = new LinkedHashMap<>();
        try (PodCluster cluster = PodCluster.create(layout, work.resolve("pods"), 0, transport, servers);
                CProxies cProxies = new CProxies(work.resolve("pods").resolve("proxies"), cluster.caDir());
                LoadGenerator load = new LoadGenerator(new Connector(clients, transport.socketChannel(),
                        Duration.ofSeconds(10)))) {
            try {
                for (Group g : layout.groups()) {
                    modes.put(g.mode(), new ModeProcesses(cluster, g, cProxies));
                }
                startAll(cluster, layout, modes, ready);
                ProcessSampler sampler = ProcessSampler.system();
                LatencyRunner runner = new LatencyRunner(settings, load, sampler, say, LABEL_WIDTH);
                // As long as a recorded run: every sidecar JVM compiles its hot code on its own share of the load.
                for (Group g : layout.groups()) {
                    say.accept("priming " + g.mode().label() + " for " + settings.duration().toSeconds() + " s, not recorded");
                    runner.prime(g.mode(), cluster.routes(g, g.pairs()), random.split(), settings.duration());
                }
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (Group g : Shuffle.of(layout.groups(), random)) {
                        ModeProcesses mode = modes.get(g.mode());
                        mode.checkAlive();
                        MachineCpu machine = MachineCpu.system();
                        LatencyRound r = runner.run(round, g.mode(), cluster.routes(g, g.pairs()), mode.pids(),
                                random.split(), machine);
                        rounds.add(new PodRound(r, machine.cores()));
                    }
                }
                for (Group g : layout.groups()) {
                    ModeProcesses mode = modes.get(g.mode());
                    memory.put(g.mode(), mode.heavierNode(sampler));
                    mode.waypointMemory(sampler).ifPresent(m -> waypoints.put(g.mode(), m));
                    processes.put(g.mode(), mode.count());
                }
            } finally {
                say.accept("stopping every mesh process of the latency cluster");
                modes.values().forEach(ModeProcesses::close);
            }
        } finally {
            servers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        List<ScalingPoint> scaling = new ArrayList<>();
        List<ReadyTime> scalingReady = new ArrayList<>();
        new ScalingRun(settings, work.resolve("scaling"), transport, say).run(random, scaling, scalingReady, problems);
        ready.addAll(scalingReady);
        PodResults results = new PodResults(settings.pairs(), settings.scenarios(), rounds, memory, scaling, ready,
                processes, waypoints);
        WaypointSummary.of(results).ifPresent(w -> say.accept(w.line()));
        return results;
    }

    /** What went wrong without stopping the run (a mode's memory scaling), for the report's notes. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Every mode's pods under the mesh; agents first, as a DaemonSet is there before the pods. */
    private void startAll(PodCluster cluster, PodLayout layout, Map<Scenario, ModeProcesses> modes,
            List<ReadyTime> ready) throws BenchException, InterruptedException {
        long t = System.nanoTime();
        for (Group g : layout.groups()) {
            if (g.ambient()) {
                say.accept("starting the node agents of the " + g.mode().label() + " nodes"
                        + (g.waypoint().isPresent() ? ", then its waypoint" : ""));
                ModeStart.startAgents(modes.get(g.mode()));
            }
        }
        for (Group g : layout.groups()) {
            if (g.mode() != Scenario.POD_DIRECT) {
                say.accept("bringing " + g.pairs() * 2 + " pods of " + g.mode().label() + " under the mesh");
            }
            List<ReadyTime> times = ModeStart.join(cluster, modes.get(g.mode()), g, 0, g.pairs());
            ready.addAll(times);
        }
        say.accept(String.format(Locale.ROOT, "every mode ready in %.1f s", (System.nanoTime() - t) / 1e9));
    }
}

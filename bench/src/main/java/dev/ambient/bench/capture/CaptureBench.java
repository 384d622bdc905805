package dev.ambient.bench.capture;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.LatencyRunner;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.Shuffle;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.LoadGenerator;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.report.BaselineCheck;
import dev.ambient.bench.report.CaptureResults;
import dev.ambient.bench.report.FlipTrial;
import dev.ambient.bench.report.LatencyRound;
import dev.ambient.bench.report.MemoryReading;
import dev.ambient.bench.report.PathCheckRound;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code mesh bench --capture}: the four capture scenarios side by side and the time from a label
 * change to capture, in a {@link CaptureMesh} cluster built for the run and removed after it.
 * Order: before any agent exists, one run each of the two pairs that will serve as baseline and as
 * the attached pair (to show they are alike); then the agents start, the three paths through their
 * nodes are primed, and every round measures all four scenarios in a fresh random order (the
 * baseline runs between nodes that never get an agent, so it can be interleaved); then the label
 * trials. Every run of a scenario through the agents' nodes is checked against their counters.
 */
public final class CaptureBench {

    private static final int LABEL_WIDTH = 21;

    private final BenchSettings settings;
    private final Path work;
    private final Path logDir;
    private final Transport transport;
    private final Consumer<String> say;

    /** Generated files go under {@code work}, the agents' logs into {@code logDir}. */
    public CaptureBench(BenchSettings settings, Path work, Path logDir, Transport transport, Consumer<String> say) {
        this.settings = settings;
        this.work = work;
        this.logDir = logDir;
        this.transport = transport;
        this.say = say;
    }

    public CaptureResults run(SplittableRandom random) throws BenchException, InterruptedException {
        EventLoopGroup servers = transport.newGroup(1, new DefaultThreadFactory("bench-upstream", true));
        EventLoopGroup clients = transport.newGroup(1, new DefaultThreadFactory("bench-client", true));
        say.accept("building the local cluster: node-a and node-b (agents later), node-c and node-d (never an agent)");
        try (CaptureCluster cluster = CaptureCluster.create(work.resolve("capture"), transport, servers);
                LoadGenerator load = new LoadGenerator(new Connector(clients, transport.socketChannel(),
                        Duration.ofSeconds(10)))) {
            ProcessSampler sampler = ProcessSampler.system();
            LatencyRunner runner = new LatencyRunner(settings, load, sampler, say, LABEL_WIDTH);
            List<BaselineCheck> before = beforeAgents(cluster, runner, random);
            long t = System.nanoTime();
            say.accept("starting the agents of node-a and node-b; logs in " + logDir);
            NodeAgents agents = cluster.startAgents(logDir);
            say.accept(String.format(Locale.ROOT, "agents ready, mesh/client and mesh/server enrolled, in %.1f s",
                    (System.nanoTime() - t) / 1e9));
            for (Scenario s : Scenario.CAPTURE.subList(1, Scenario.CAPTURE.size())) {
                say.accept("priming " + s.label() + ", not recorded");
                runner.prime(s, cluster.route(s), random.split());
            }
            List<LatencyRound> latency = new ArrayList<>();
            List<PathCheckRound> paths = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                for (Scenario s : Shuffle.of(Scenario.CAPTURE, random)) {
                    measure(round, s, cluster, agents, runner, random.split(), latency, paths);
                }
            }
            List<MemoryReading> memory = agents.memory(sampler);
            int trials = settings.quick() ? 4 : 8;
            say.accept("label trials: namespace flip enrolled and unenrolled " + trials + " times");
            LabelFlipProbe probe = new LabelFlipProbe(cluster);
            List<FlipTrial> flips;
            try (NetNamespace nodeA = cluster.cluster().openNode("node-a")) {
                flips = probe.run(nodeA, trials);
            }
            for (FlipTrial f : flips) {
                say.accept(String.format(Locale.ROOT, "label trial %d: captured %.1f ms after the label was written"
                        + " (connection %d), left alone %.1f ms after it was removed%s", f.trial(), f.onMillis(),
                        f.onConnections(), f.offMillis(), f.error().isEmpty() ? "" : "; " + f.error()));
            }
            say.accept("stopping the agents and removing the cluster");
            return new CaptureResults(pairs(), latency, paths, before, memory, flips, probe.stepMillis());
        } finally {
            servers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * The baseline pair and the pair of netns-direct-attached, each measured once with no agent on the
     * machine (and so no program anywhere), in random order, after unrecorded load on the baseline
     * pair that warms this JVM up.
     */
    private List<BaselineCheck> beforeAgents(CaptureCluster cluster, LatencyRunner runner, SplittableRandom random)
            throws InterruptedException {
        say.accept("priming this JVM on the baseline pair, not recorded");
        runner.prime(Scenario.NETNS_DIRECT, cluster.route(Scenario.NETNS_DIRECT), random.split());
        List<BaselineCheck> out = new ArrayList<>();
        for (Scenario pairOf : Shuffle.of(List.of(Scenario.NETNS_DIRECT, Scenario.NETNS_DIRECT_ATTACHED), random)) {
            String pair = CaptureMesh.pair(pairOf).toString();
            say.accept("before the agents: " + pair);
            out.add(new BaselineCheck(pair, runner.run(0, Scenario.NETNS_DIRECT, cluster.route(pairOf), Map.of(),
                    random.split())));
        }
        return out;
    }

    /** One recorded run, with the agents' counters read around it when the path crosses their nodes. */
    private void measure(int round, Scenario s, CaptureCluster cluster, NodeAgents agents, LatencyRunner runner,
            SplittableRandom random, List<LatencyRound> latency, List<PathCheckRound> paths)
            throws BenchException, InterruptedException {
        if (s == Scenario.NETNS_DIRECT) {
            latency.add(runner.run(round, s, cluster.route(s), Map.of(), random));
            return;
        }
        CaptureCounters a = agents.counters("node-a");
        CaptureCounters b = agents.counters("node-b");
        latency.add(runner.run(round, s, cluster.route(s), agents.pids(), random));
        CaptureCounters da = agents.counters("node-a").minus(a);
        CaptureCounters db = agents.counters("node-b").minus(b);
        Optional<String> problem = PathCheck.problem(s, settings.connections(), da, db);
        problem.ifPresent(p -> say.accept("round " + round + " " + s.label() + ": PATH CHECK FAILED: " + p));
        paths.add(new PathCheckRound(round, s, da.values(), db.values(), problem.orElse("")));
    }

    private static Map<Scenario, String> pairs() {
        Map<Scenario, String> out = new LinkedHashMap<>();
        for (Scenario s : Scenario.CAPTURE) {
            out.put(s, CaptureMesh.pair(s).toString());
        }
        return out;
    }
}

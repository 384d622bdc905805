package dev.ambient.bench.pods;

import dev.ambient.bench.Bench;
import dev.ambient.bench.BenchException;
import dev.ambient.bench.BenchSettings;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.LoadGenerator;
import dev.ambient.bench.load.LoadPlan;
import dev.ambient.bench.load.LoadResult;
import dev.ambient.bench.load.MeasurementWindow;
import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.report.NodeMemory;
import dev.ambient.bench.report.ReadyTime;
import dev.ambient.bench.report.ScalingPoint;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Node memory versus pods, per mode: a cluster of one mode alone grows its server node to each pod
 * count of {@code --scaling} in turn (adding pods to the mesh as a cluster would: new pods enrolled,
 * or new pods with their sidecars), sends requests through every pair so each pod's path is live, and
 * reads the server node's mesh memory. One mode at a time, each in a cluster built for it and removed
 * after, so fifty JVM sidecars never share the machine with fifty HAProxies.
 */
final class ScalingRun {

    private final BenchSettings settings;
    private final Path work;
    private final Transport transport;
    private final Consumer<String> say;

    ScalingRun(BenchSettings settings, Path work, Transport transport, Consumer<String> say) {
        this.settings = settings;
        this.work = work;
        this.transport = transport;
        this.say = say;
    }

    void run(SplittableRandom random, List<ScalingPoint> points, List<ReadyTime> ready)
            throws BenchException, InterruptedException {
        for (Scenario mode : settings.scenarios()) {
            if (mode != Scenario.POD_DIRECT) {
                runMode(mode, random, points, ready);
            }
        }
    }

    private void runMode(Scenario mode, SplittableRandom random, List<ScalingPoint> points, List<ReadyTime> ready)
            throws BenchException, InterruptedException {
        List<Integer> counts = settings.scalingPods();
        int most = counts.get(counts.size() - 1);
        PodLayout layout = PodLayout.of(List.of(mode), most);
        Group group = layout.groups().get(0);
        say.accept(String.format(Locale.ROOT, "memory scaling of %s: %s pods per node", mode.label(), counts));
        EventLoopGroup servers = transport.newGroup(1, new DefaultThreadFactory("bench-upstream", true));
        EventLoopGroup clients = transport.newGroup(1, new DefaultThreadFactory("bench-client", true));
        try (PodCluster cluster = PodCluster.create(layout, work.resolve(mode.label()), 0, transport, servers);
                CProxies cProxies = new CProxies(work.resolve(mode.label()).resolve("proxies"), cluster.caDir());
                ModeProcesses processes = new ModeProcesses(cluster, group, cProxies);
                LoadGenerator load = new LoadGenerator(new Connector(clients, transport.socketChannel(),
                        Duration.ofSeconds(10)))) {
            if (mode == Scenario.AMBIENT) {
                ModeStart.startAgents(processes);
            }
            ProcessSampler sampler = ProcessSampler.system();
            int have = 0;
            for (int count : counts) {
                List<ReadyTime> times = ModeStart.join(cluster, processes, group, have, count);
                ready.addAll(times);
                have = count;
                long errors = exercise(load, cluster, group, count, random);
                NodeMemory m = processes.memory(group.serverNode(), sampler);
                points.add(new ScalingPoint(mode, count, m));
                say.accept(String.format(Locale.ROOT, "%-15s %3d pods per node: node PSS %7.1f MiB, RSS %7.1f MiB"
                        + " (%d process(es)); pods ready in median %.0f ms%s", mode.label(), count, m.pssMib(),
                        m.rssMib(), m.processes(), medianMillis(times),
                        errors == 0 ? "" : "; " + errors + " request error(s)"));
                if (errors > 0) {
                    throw new BenchException(mode.label() + " with " + count + " pods per node failed " + errors
                            + " request(s); the memory of a broken path means nothing");
                }
            }
        } finally {
            servers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** A few requests over one connection per pair, so every pod's path holds what live traffic holds. */
    private long exercise(LoadGenerator load, PodCluster cluster, Group group, int pairs, SplittableRandom random)
            throws BenchException, InterruptedException {
        LoadPlan plan = new LoadPlan(Math.max(20 * pairs, 100), pairs, Duration.ZERO,
                Duration.ofSeconds(settings.quick() ? 1 : 3), Bench.BODY_BYTES);
        LoadResult r = load.run(cluster.routes(group, pairs), plan, random.split(), MeasurementWindow.NONE);
        return r.errors();
    }

    private static double medianMillis(List<ReadyTime> times) {
        double[] ms = times.stream().mapToDouble(ReadyTime::millis).sorted().toArray();
        return ms.length == 0 ? 0 : ms[ms.length / 2];
    }
}

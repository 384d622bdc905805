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
 * reads the server node's mesh memory. The first pods carry the full load for a while before the
 * first reading, so that later readings differ by what the added pods cost. One mode at a time, each in a cluster built for it and removed
 * after, so fifty JVM sidecars never share the machine with fifty HAProxies. A quick run skips the
 * modes whose per-pod cost another mode already shows.
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

    /**
     * Measures every mode but direct; a mode that fails is said and listed in {@code problems} and the
     * others still run, so that one broken mode does not cost the rest of the report.
     */
    void run(SplittableRandom random, List<ScalingPoint> points, List<ReadyTime> ready, List<String> problems)
            throws InterruptedException {
        for (Scenario mode : settings.scenarios()) {
            if (mode == Scenario.POD_DIRECT || settings.quick() && perPodCostShownByAnother(mode)) {
                continue;
            }
            try {
                runMode(mode, random, points, ready, problems);
            } catch (BenchException e) {
                say.accept("memory scaling of " + mode.label() + " FAILED: " + e.getMessage());
                problems.add("Memory scaling of " + mode.label() + " stopped: " + e.getMessage());
            }
        }
    }

    /**
     * A waypoint is one per namespace, so what a pod adds in ambient-waypoint is what it adds in ambient;
     * an nginx sidecar weighs the same reading bytes or requests. A quick run leaves these two out.
     */
    private static boolean perPodCostShownByAnother(Scenario mode) {
        return mode == Scenario.AMBIENT_WAYPOINT || mode == Scenario.NGINX_L7_SIDECAR;
    }

    private void runMode(Scenario mode, SplittableRandom random, List<ScalingPoint> points, List<ReadyTime> ready,
            List<String> problems) throws BenchException, InterruptedException {
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
            if (group.ambient()) {
                ModeStart.startAgents(processes);
            }
            ProcessSampler sampler = ProcessSampler.system();
            int have = 0;
            for (int count : counts) {
                List<ReadyTime> times = ModeStart.join(cluster, processes, group, have, count);
                ready.addAll(times);
                have = count;
                if (count == counts.get(0)) {
                    warm(load, cluster, group, count, random);
                }
                LoadResult r = exercise(load, cluster, group, count, random);
                if (r.measuredOk() == 0) {
                    throw new BenchException("no request through " + count + " pods per node succeeded: "
                            + r.errorSamples());
                }
                processes.checkAlive();
                NodeMemory m = processes.memory(group.serverNode(), sampler);
                points.add(new ScalingPoint(mode, count, m));
                say.accept(String.format(Locale.ROOT, "%-15s %3d pods per node: node PSS %7.1f MiB, RSS %7.1f MiB"
                        + " (%d process(es)); pods ready in median %.0f ms%s", mode.label(), count, m.pssMib(),
                        m.rssMib(), m.processes(), medianMillis(times),
                        r.errors() == 0 ? "" : "; " + r.errors() + " of the requests failed"));
                if (r.errors() > 0) {
                    problems.add(String.format(Locale.ROOT, "While %d %s pods per node were exercised for the memory"
                            + " reading, %d of %d requests failed (%s); the reading stands, as the processes ran.",
                            count, mode.label(), r.errors(), r.scheduled(), String.join("; ", r.errorSamples())));
                }
            }
        } finally {
            servers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * The bench's full load through the first pods for a run's length, unrecorded, so that the slope
     * between pod counts measures what pods add and not the JIT and heap growing into their working
     * size, which any proxy process does once whatever its pods.
     */
    private void warm(LoadGenerator load, PodCluster cluster, Group group, int pairs, SplittableRandom random)
            throws BenchException, InterruptedException {
        LoadPlan plan = new LoadPlan(settings.rate(), settings.connections(), Duration.ZERO,
                settings.warmup().plus(settings.duration()), Bench.BODY_BYTES);
        LoadResult r = load.run(cluster.routes(group, pairs), plan, random.split(), MeasurementWindow.NONE);
        if (r.errors() > 0) {
            say.accept("warming " + group.mode().label() + ": " + r.errors() + " error(s): " + r.errorSamples());
        }
    }

    /**
     * A few requests over one connection per pair (4 per second each, gentle enough for proxies that
     * have just started cold), so every pod's path holds what live traffic holds.
     */
    private LoadResult exercise(LoadGenerator load, PodCluster cluster, Group group, int pairs, SplittableRandom random)
            throws BenchException, InterruptedException {
        LoadPlan plan = new LoadPlan(Math.max(4 * pairs, 10), pairs, Duration.ZERO,
                Duration.ofSeconds(settings.quick() ? 1 : 3), Bench.BODY_BYTES);
        return load.run(cluster.routes(group, pairs), plan, random.split(), MeasurementWindow.NONE);
    }

    private static double medianMillis(List<ReadyTime> times) {
        double[] ms = times.stream().mapToDouble(ReadyTime::millis).sorted().toArray();
        return ms.length == 0 ? 0 : ms[ms.length / 2];
    }
}

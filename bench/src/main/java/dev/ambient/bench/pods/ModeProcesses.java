package dev.ambient.bench.pods;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.bench.pods.PodLayout.Pod;
import dev.ambient.bench.proc.ProcMemory;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.report.NodeMemory;
import dev.ambient.bench.report.WaypointSummary;
import dev.ambient.daemonset.process.AgentEndpoint;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.daemonset.sidecar.CaptureRules;
import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The mesh processes of one mode's group, as a cluster would run them: for ambient a node agent on
 * each of its two nodes, and the waypoint's proxy in its pod where the group has one; for a sidecar mode, in every pod, the capture rules of the init step and
 * then the pod's proxy (ours, HAProxy or nginx). Pods can be added in batches, which is how the
 * memory-versus-pods measurement grows a node. {@link #close} stops everything it started.
 */
final class ModeProcesses implements AutoCloseable {

    static final int READINESS_PORT = 15021;
    /** The user the C proxies run as, which their pods' capture rules exempt ("nobody"). */
    static final int C_PROXY_UID = 65534;

    private final PodCluster cluster;
    private final Group group;
    private final CProxies cProxies;
    private final List<MeshProcess> processes = new ArrayList<>();
    private final List<NodeProcess> jvms = new ArrayList<>();
    private final Map<String, Path> agentLogs = new LinkedHashMap<>();

    ModeProcesses(PodCluster cluster, Group group, CProxies cProxies) {
        this.cluster = cluster;
        this.group = group;
        this.cProxies = cProxies;
    }

    Scenario mode() {
        return group.mode();
    }

    Group group() {
        return group;
    }

    /** The node agents of an ambient group, started (not yet awaited). */
    List<MeshProcess> startAgents(List<String> flags) throws BenchException {
        if (!group.ambient()) {
            throw new IllegalStateException("BUG: agents belong to the ambient group, not " + group.mode().label());
        }
        List<MeshProcess> started = new ArrayList<>();
        List<String> all = new ArrayList<>(List.of("--bpffs", cluster.bpffs().toString(), "--pod-drain", "1s"));
        all.addAll(flags);
        for (String node : List.of(group.clientNode(), group.serverNode())) {
            String netns = cluster.local().nodeNamespace(node);
            long at = System.nanoTime();
            NodeProcess agent;
            try {
                agent = NodeProcess.startAgent(node, netns, cluster.meshFile(), cluster.caDir(), cluster.dir(), all);
            } catch (IOException e) {
                throw new BenchException("cannot start the agent of " + node + ": " + e.getMessage(), e);
            }
            started.add(add(new MeshProcess("agent " + node, node, agent.pid(), at, readiness(netns), alive(agent)),
                    agent));
            agentLogs.put(node, agent.log());
        }
        return started;
    }

    /** The waypoint's proxy in its pod, when the group has a waypoint, started (not yet awaited). */
    List<MeshProcess> startWaypoint() throws BenchException {
        Optional<PodWaypoint> waypoint = group.waypoint();
        if (waypoint.isEmpty()) {
            return List.of();
        }
        Pod pod = waypoint.get().pod();
        String netns = cluster.local().podNamespace(pod.namespace(), pod.name());
        long at = System.nanoTime();
        NodeProcess proxy;
        try {
            proxy = NodeProcess.startWaypoint(pod.key(), netns, cluster.meshFile(), cluster.caDir(), cluster.dir());
        } catch (IOException e) {
            throw new BenchException("cannot start the waypoint of " + pod.key() + ": " + e.getMessage(), e);
        }
        return List.of(add(new MeshProcess(WaypointSummary.ROLE_PREFIX + pod.key(), pod.node(), proxy.pid(), at, readiness(netns),
                alive(proxy)), proxy));
    }

    /** The proxies of pairs {@code from..to-1} (client and server pod each), started (not yet awaited). */
    List<MeshProcess> startSidecars(int from, int to) throws BenchException {
        List<MeshProcess> started = new ArrayList<>();
        for (int i = from; i < to; i++) {
            // A client's outbound proxy calls its server; a server's points back (as every sidecar has both).
            started.add(startSidecar(group.client(i), group.server(i)));
            started.add(startSidecar(group.server(i), group.client(i)));
        }
        return started;
    }

    private MeshProcess startSidecar(Pod pod, Pod peer) throws BenchException {
        String netns = cluster.local().podNamespace(pod.namespace(), pod.name());
        boolean ours = group.mode() == Scenario.SIDECAR;
        try {
            CaptureRules.local(ours ? OptionalInt.empty() : OptionalInt.of(C_PROXY_UID)).installIn(netns);
        } catch (RuntimeException e) {
            throw new BenchException("cannot install the capture rules of " + pod.key() + ": " + e.getMessage(), e);
        }
        String role = group.mode().label() + " " + pod.key();
        long at = System.nanoTime();
        if (ours) {
            NodeProcess sidecar;
            try {
                sidecar = NodeProcess.startSidecar(pod.key(), netns, cluster.meshFile(), cluster.caDir(), cluster.dir(),
                        List.of());
            } catch (IOException e) {
                throw new BenchException("cannot start the sidecar of " + pod.key() + ": " + e.getMessage(), e);
            }
            return add(new MeshProcess(role, pod.node(), sidecar.pid(), at, readiness(netns), alive(sidecar)), sidecar);
        }
        CProxies.Started c = cProxies.start(group.mode(), pod, peer, netns);
        MeshProcess p = new MeshProcess(role, pod.node(), c.pid(), at, c.ready(), c.alive());
        processes.add(p);
        return p;
    }

    private MeshProcess add(MeshProcess p, NodeProcess jvm) {
        processes.add(p);
        jvms.add(jvm);
        return p;
    }

    /** Every process so far, by role, for CPU accounting. */
    Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        processes.forEach(p -> out.put(p.role(), p.pid()));
        return out;
    }

    /** The agents' logs by node, where they say which pods they enrolled. */
    Map<String, Path> agentLogs() {
        return Map.copyOf(agentLogs);
    }

    int count() {
        return processes.size();
    }

    /** The sum over this mode's processes on {@code node}, each with its descendants. */
    NodeMemory memory(String node, ProcessSampler sampler) {
        return memory(node, sampler, p -> p.node().equals(node));
    }

    /** The sum over the waypoint's processes alone, on the server node; empty when the group has no waypoint. */
    Optional<NodeMemory> waypointMemory(ProcessSampler sampler) {
        return group.waypoint().map(w -> memory(group.serverNode(), sampler, p -> p.role().startsWith(WaypointSummary.ROLE_PREFIX)));
    }

    private NodeMemory memory(String node, ProcessSampler sampler, Predicate<MeshProcess> which) {
        ProcMemory sum = new ProcMemory(0, 0);
        int n = 0;
        for (MeshProcess p : processes) {
            if (which.test(p)) {
                sum = sum.plus(sampler.memory(p.pid()));
                n++;
            }
        }
        return new NodeMemory(node, n, sum.pssKiB() < 0 ? Double.NaN : sum.pssKiB() / 1024.0, sum.rssKiB() / 1024.0);
    }

    /** Of the group's two nodes, the one where this mode's processes weigh most. */
    NodeMemory heavierNode(ProcessSampler sampler) {
        NodeMemory a = memory(group.clientNode(), sampler);
        NodeMemory b = memory(group.serverNode(), sampler);
        return b.pssMib() > a.pssMib() ? b : a;
    }

    /** Throws, naming it, when one of the processes has exited. */
    void checkAlive() throws BenchException {
        for (MeshProcess p : processes) {
            if (!p.alive().isAlive()) {
                throw new BenchException(p.role() + " has exited: " + p.alive().describeExit());
            }
        }
    }

    private static Callable<Boolean> readiness(String netns) {
        return () -> {
            try (NetNamespace ns = NetNamespace.named(netns)) {
                ns.call(() -> AgentEndpoint.get(READINESS_PORT, "/healthz/ready"));
                return true;
            }
        };
    }

    private static MeshProcess.Alive alive(NodeProcess p) {
        return new MeshProcess.Alive() {
            @Override
            public boolean isAlive() {
                return p.isAlive();
            }

            @Override
            public String describeExit() {
                return "last lines of " + p.log() + ":\n" + p.logTail();
            }
        };
    }

    /** SIGTERM to every JVM (they drain), SIGKILL after a grace; the C proxies go with their owner. */
    @Override
    public void close() {
        NodeProcess.closeAll(jvms);
        cProxies.stop(processes.stream().map(MeshProcess::pid).toList());
    }
}

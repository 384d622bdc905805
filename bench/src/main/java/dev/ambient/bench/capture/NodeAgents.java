package dev.ambient.bench.capture;

import dev.ambient.daemonset.process.AgentEndpoint;
import dev.ambient.bench.BenchException;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.report.MemoryReading;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The node agents of node-a and node-b ({@code mesh agent}, ztunnel plus eBPF capture), each a
 * process in its node's namespace: started, waited for until ready and enrolled, asked for their
 * capture counters, stopped. Their CPU and memory are what the capture scenarios cost.
 */
final class NodeAgents implements AutoCloseable {

    static final int METRICS_PORT = 15020;
    static final int READINESS_PORT = 15021;
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration ENROLLED = Duration.ofSeconds(20);

    private final Map<String, NodeProcess> processes = new LinkedHashMap<>();
    private final Map<String, NetNamespace> nodes = new LinkedHashMap<>();

    private NodeAgents() {}

    /**
     * Starts an agent on every node of {@link CaptureMesh#AGENT_NODES} with its pins on {@code bpffs},
     * and returns once each is ready and has enrolled its pod of namespace {@code mesh}.
     */
    static NodeAgents start(LocalCluster cluster, Path mesh, Path caDir, Path logDir, Path bpffs)
            throws BenchException, InterruptedException {
        NodeAgents agents = new NodeAgents();
        try {
            List<String> flags = List.of("--bpffs", bpffs.toString(), "--pod-drain", "1s", "--drain-timeout", "1s");
            for (String node : CaptureMesh.AGENT_NODES) {
                agents.nodes.put(node, cluster.openNode(node));
                try {
                    agents.processes.put(node, NodeProcess.startAgent(node, cluster.nodeNamespace(node), mesh, caDir,
                            logDir, flags));
                } catch (IOException e) {
                    throw new BenchException("cannot start the agent of " + node + ": " + e.getMessage(), e);
                }
            }
            for (Map.Entry<String, NodeProcess> e : agents.processes.entrySet()) {
                try {
                    e.getValue().awaitReady(READINESS_PORT, READY);
                } catch (InterruptedException interrupted) {
                    throw interrupted;
                } catch (Exception failed) {
                    throw new BenchException("the agent of " + e.getKey() + " did not become ready: "
                            + failed.getMessage(), failed);
                }
            }
            agents.awaitLog("node-a", "enrolled " + CaptureMesh.MESH_CLIENT.key(), 0, ENROLLED);
            agents.awaitLog("node-b", "enrolled " + CaptureMesh.MESH_SERVER.key(), 0, ENROLLED);
            return agents;
        } catch (BenchException | InterruptedException | RuntimeException e) {
            agents.close();
            throw e;
        }
    }

    /** The agents' pids by report role ("agent node-a"), for CPU accounting. */
    Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        processes.forEach((node, p) -> out.put(role(node), p.pid()));
        return out;
    }

    /** Memory of every agent now. */
    List<MemoryReading> memory(ProcessSampler sampler) {
        return processes.entrySet().stream()
                .map(e -> new MemoryReading(role(e.getKey()), sampler.memory(e.getValue().pid()))).toList();
    }

    /** {@code node}'s capture counters now. */
    CaptureCounters counters(String node) throws BenchException, InterruptedException {
        NodeProcess agent = processes.get(node);
        if (agent != null && !agent.isAlive()) {
            throw new BenchException("the agent of " + node + " has exited; last lines of " + agent.log() + ":\n"
                    + agent.logTail());
        }
        try {
            return CaptureCounters.parse(nodes.get(node).call(() -> AgentEndpoint.get(METRICS_PORT, "/metrics")));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchException("cannot read the capture counters of " + node + "'s agent: " + e.getMessage(), e);
        }
    }

    /** How often {@code line} occurs in {@code node}'s agent log. */
    private int logCount(String node, String line) throws BenchException {
        Path log = processes.get(node).log();
        try {
            return Files.readString(log).split(Pattern.quote(line), -1).length - 1;
        } catch (IOException e) {
            throw new BenchException("cannot read " + log + ": " + e.getMessage(), e);
        }
    }

    /** Waits until {@code line} occurs in {@code node}'s log more than {@code seen} times. */
    void awaitLog(String node, String line, int seen, Duration timeout) throws BenchException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (logCount(node, line) <= seen) {
            if (System.nanoTime() > deadline) {
                NodeProcess p = processes.get(node);
                throw new BenchException("the agent of " + node + " did not log \"" + line + "\" within "
                        + timeout.toSeconds() + " s; last lines of " + p.log() + ":\n" + p.logTail());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    static String role(String node) {
        return "agent " + node;
    }

    /** SIGTERM to every agent (they drain for 1 s), SIGKILL after 10 s. Capture stays pinned until the bpffs goes. */
    @Override
    public void close() {
        processes.values().forEach(NodeProcess::close);
        nodes.values().forEach(NetNamespace::close);
    }
}

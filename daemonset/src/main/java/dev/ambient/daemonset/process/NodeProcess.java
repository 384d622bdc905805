package dev.ambient.daemonset.process;

import dev.ambient.sys.Commands;

import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.config.JvmOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A node process (a ztunnel, or the full node agent) running inside a node's network namespace, as on
 * a real node. Its output goes to a log file; {@link #close()} sends SIGTERM (it drains) and kills it
 * if it does not exit in time; {@link #kill()} is the crash.
 */
public final class NodeProcess implements AutoCloseable {

    public static final String ZTUNNEL = "dev.ambient.ztunnel.ZtunnelMain";
    public static final String AGENT = "dev.ambient.daemonset.agent.AgentMain";
    public static final String SIDECAR = "dev.ambient.daemonset.sidecar.SidecarMain";
    public static final String WAYPOINT = "dev.ambient.daemonset.waypoint.WaypointMain";
    public static final String CA = "dev.ambient.daemonset.ca.CaMain";

    private final String node;
    private final String namespace;
    private final Process process;
    private final Path log;

    private NodeProcess(String node, String namespace, Process process, Path log) {
        this.node = node;
        this.namespace = namespace;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mesh ztunnel} for {@code node} in network namespace {@code namespace}.
     *
     * @param extraArgs more ztunnel flags (for example {@code --transparent})
     */
    public static NodeProcess start(String node, String namespace, Path meshFile, Path caDir, Path logDir,
            List<String> extraArgs) throws IOException {
        return start(ZTUNNEL, node, namespace, meshFile, caDir, logDir, extraArgs);
    }

    /** Starts the node agent ({@code mesh agent}) for {@code node}; {@code extraArgs} as for a ztunnel. */
    public static NodeProcess startAgent(String node, String namespace, Path meshFile, Path caDir, Path logDir,
            List<String> extraArgs) throws IOException {
        return start(AGENT, node, namespace, meshFile, caDir, logDir, extraArgs);
    }

    /** Starts the sidecar ({@code mesh sidecar}) of pod {@code pod} (namespace/name) in the pod's namespace. */
    public static NodeProcess startSidecar(String pod, String namespace, Path meshFile, Path caDir, Path logDir,
            List<String> extraArgs) throws IOException {
        return startInPod(SIDECAR, "sidecar-", pod, namespace, meshFile, caDir, logDir, extraArgs);
    }

    /** Starts the waypoint proxy ({@code mesh waypoint}) of waypoint pod {@code pod} in the pod's namespace. */
    public static NodeProcess startWaypoint(String pod, String namespace, Path meshFile, Path caDir, Path logDir)
            throws IOException {
        return startInPod(WAYPOINT, "waypoint-", pod, namespace, meshFile, caDir, logDir, List.of());
    }

    private static NodeProcess startInPod(String main, String logPrefix, String pod, String namespace, Path meshFile,
            Path caDir, Path logDir, List<String> extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--mesh", meshFile.toString(), "--pod", pod,
                "--ca-dir", caDir.toString(), "--drain-timeout", "5s"));
        args.addAll(extraArgs);
        return launch(main, pod, namespace, logDir.resolve(logPrefix + pod.replace('/', '-') + ".log"), args);
    }

    private static NodeProcess start(String main, String node, String namespace, Path meshFile, Path caDir,
            Path logDir, List<String> extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--mesh", meshFile.toString(), "--node", node,
                "--ca-dir", caDir.toString(), "--drain-timeout", "5s"));
        args.addAll(extraArgs);
        return launch(main, node, namespace, logDir.resolve((main.equals(AGENT) ? "agent-" : "ztunnel-") + node + ".log"),
                args);
    }

    /**
     * Starts the node agent as its DaemonSet does ({@code mesh agent --kubernetes}): its settings and
     * the API server's address (fabric8's {@code KUBERNETES_MASTER}, ...) in {@code environment}.
     */
    public static NodeProcess startAgentInCluster(String node, String namespace, Path logDir,
            Map<String, String> environment) throws IOException {
        return launch(AGENT, node, namespace, logDir.resolve("agent-" + node + ".log"), environment,
                List.of("--kubernetes"));
    }

    /**
     * Starts a waypoint as its Deployment does ({@code mesh waypoint --kubernetes}) in the network
     * namespace of its pod {@code pod} (namespace/name), its settings in {@code environment}.
     */
    public static NodeProcess startWaypointInCluster(String pod, String namespace, Path logDir,
            Map<String, String> environment) throws IOException {
        return launch(WAYPOINT, pod, namespace, logDir.resolve("waypoint-" + pod.replace('/', '-') + ".log"),
                environment, List.of("--kubernetes"));
    }

    /** The CA service ({@code mesh ca}) in {@code namespace} (a node's), listening on {@code listen}. */
    public static NodeProcess startCa(String namespace, Path meshFile, Path caDir, Path tokens, Path logDir,
            String listen) throws IOException {
        return launch(CA, "ca", namespace, logDir.resolve("ca.log"), List.of("--mesh", meshFile.toString(),
                "--ca-dir", caDir.toString(), "--tokens", tokens.toString(), "--listen", listen));
    }

    private static NodeProcess launch(String main, String node, String namespace, Path log, List<String> args)
            throws IOException {
        return launch(main, node, namespace, log, Map.of(), args);
    }

    private static NodeProcess launch(String main, String node, String namespace, Path log,
            Map<String, String> environment, List<String> args) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> java = new ArrayList<>(JvmOptions.environmentPrefix());
        new TreeMap<>(environment).forEach((name, value) -> java.add(name + "=" + value));
        java.addAll(JavaCommand.of(JvmOptions.ztunnel(), main, args));
        List<String> command = Commands.inNetns(namespace, java);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeProcess(node, namespace, process, log);
    }

    /** Waits until readiness (15021 inside the node namespace) answers 200; fails with the log tail if not. */
    public void awaitReady(int readinessPort, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("process for " + node + " exited with " + process.exitValue()
                            + ":\n" + logTail());
                }
                if (ns.call(() -> httpStatus(new InetSocketAddress("127.0.0.1", readinessPort), "/healthz/ready")) == 200) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("process for " + node + " not ready within " + timeout.toSeconds() + "s:\n"
                + logTail());
    }

    /** Waits until something accepts connections at {@code address} from inside the node namespace. */
    public void awaitListening(InetSocketAddress address, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    ns.call(() -> {
                        new Socket(address.getAddress(), address.getPort()).close();
                        return null;
                    });
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(100);
                }
            }
        }
        throw new IllegalStateException(node + " did not listen on " + address + " within " + timeout.toSeconds()
                + " s:\n" + logTail());
    }

    /** The body of an HTTP GET to {@code port} on loopback inside the node namespace. */
    public String get(int port, String path) throws Exception {
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            return ns.call(() -> AgentEndpoint.get(port, path));
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private static int httpStatus(InetSocketAddress address, String path) {
        try {
            AgentEndpoint.get(address.getPort(), path);
            return 200;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** SIGKILL: the node agent crashing, with no chance to clean anything up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        closeAll(List.of(this));
    }

    /**
     * SIGTERM to all at once (they drain in parallel), then SIGKILL to any still running 10 s later:
     * stopping fifty sidecars takes one drain, not fifty.
     */
    public static void closeAll(List<NodeProcess> processes) {
        processes.stream().filter(p -> p.process.isAlive()).forEach(p -> p.process.destroy());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (NodeProcess p : processes) {
            p.awaitExit(deadline);
        }
    }

    private void awaitExit(long deadlineNanos) {
        if (!process.isAlive()) {
            return;
        }
        try {
            if (!process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

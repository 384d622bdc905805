package dev.ambient.bench.capture;

import dev.ambient.bench.Bench;
import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.capture.CaptureMesh.Pair;
import dev.ambient.bench.capture.CaptureMesh.Pod;
import dev.ambient.bench.load.Route;
import dev.ambient.bench.upstream.HttpUpstream;
import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capture benchmark's world: the mesh file, a private bpffs, the {@link CaptureMesh} cluster as
 * network namespaces, the upstream HTTP server inside every server pod, and later the node agents.
 * Only namespaces made here are touched, never the machine's own. {@link #close} removes all of it,
 * in order (agents, servers, namespaces, bpffs), also from a shutdown hook on SIGTERM or Ctrl-C.
 */
final class CaptureCluster implements AutoCloseable {

    private final Path dir;
    private final Path meshFile;
    private final Path bpffs;
    private final Map<Pod, NetNamespace> pods = new LinkedHashMap<>();
    private final Map<Pod, InetSocketAddress> servers = new LinkedHashMap<>();
    private final List<HttpUpstream> upstreams = new ArrayList<>();
    private final Thread hook = new Thread(this::close, "bench-capture-teardown");
    private boolean mounted;
    private LocalCluster cluster;
    private NodeAgents agents;
    private boolean closed;

    private CaptureCluster(Path dir) {
        this.dir = dir;
        this.meshFile = dir.resolve("mesh").resolve("mesh.yaml");
        this.bpffs = dir.resolve("bpffs");
    }

    /**
     * Builds everything up to, not including, the agents, under {@code dir}; the upstream servers run on
     * {@code group}. On failure removes what it made.
     */
    static CaptureCluster create(Path dir, Transport transport, EventLoopGroup group) throws BenchException {
        if (!"0".equals(Commands.run("id", "-u").strip())) {
            throw new BenchException("--capture needs root: it creates network namespaces and loads eBPF programs");
        }
        CaptureCluster c = new CaptureCluster(dir);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.build(transport, group);
            return c;
        } catch (BenchException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void build(Transport transport, EventLoopGroup group) throws BenchException {
        try {
            Files.createDirectories(meshFile.getParent());
            Files.createDirectories(bpffs);
            Files.writeString(meshFile, CaptureMesh.yaml(false));
            // Created once here: two agents starting at once must not both create it.
            EmbeddedCa.loadOrCreate(caDir(), "cluster.local", Clock.systemUTC());
        } catch (IOException e) {
            throw new BenchException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        Commands.quietly("umount", bpffs.toString()); // a crashed run with the same --out
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        mounted = true;
        String yaml = CaptureMesh.yaml(false);
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(yaml, meshFile.toString()));
        String id = "bc" + Long.toString(ProcessHandle.current().pid() % 46_656, 36);
        try {
            cluster = LocalCluster.create(spec, id);
        } catch (IllegalStateException e) {
            throw new BenchException("cannot build the local cluster " + id + ": " + e.getMessage()
                    + " (./mesh down removes what a crashed run left)", e);
        }
        for (Pod pod : CaptureMesh.PODS) {
            pods.put(pod, cluster.openPod(pod.namespace(), pod.name()));
        }
        for (Pod pod : CaptureMesh.SERVERS) {
            InetSocketAddress address = new InetSocketAddress(address(pod), CaptureMesh.APP_PORT);
            upstreams.add(HttpUpstream.startIn(pods.get(pod), address, transport, group, Bench.BODY_BYTES));
            servers.put(pod, address);
        }
    }

    /** Starts the node agents; {@link #close} stops them. */
    NodeAgents startAgents(Path logDir) throws BenchException, InterruptedException {
        agents = NodeAgents.start(cluster, meshFile, caDir(), logDir, bpffs);
        return agents;
    }

    /** How a scenario's client pod reaches its server pod's application. */
    Route route(Scenario scenario) {
        Pair pair = CaptureMesh.pair(scenario);
        return Route.fromPod(pods.get(pair.client()), address(pair.client()), servers.get(pair.server()));
    }

    NetNamespace pod(Pod pod) {
        return pods.get(pod);
    }

    InetSocketAddress server(Pod pod) {
        return servers.get(pod);
    }

    LocalCluster cluster() {
        return cluster;
    }

    /**
     * Replaces the mesh file in one rename, so the agents' watch never reads it half-written, with
     * namespace {@code flip} enrolled or not. Returns {@link System#nanoTime} just before the rename.
     */
    long writeMesh(boolean flipEnrolled) throws BenchException {
        Path next = meshFile.resolveSibling(".mesh.yaml.next");
        try {
            Files.writeString(next, CaptureMesh.yaml(flipEnrolled));
            long at = System.nanoTime();
            Files.move(next, meshFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return at;
        } catch (IOException e) {
            throw new BenchException("cannot rewrite the mesh file " + meshFile + ": " + e.getMessage(), e);
        }
    }

    private Path caDir() {
        return dir.resolve("ca");
    }

    private static InetAddress address(Pod pod) {
        try {
            return InetAddress.getByName(pod.ip());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("BUG: " + pod.ip() + " is not an IP literal", e);
        }
    }

    /** Agents first (they drain), then the servers, the namespaces and the bpffs with every pin on it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (agents != null) {
            agents.close();
        }
        upstreams.forEach(HttpUpstream::close);
        pods.values().forEach(NetNamespace::close);
        if (cluster != null) {
            cluster.close();
        }
        if (mounted) {
            Commands.quietly("umount", bpffs.toString());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // we are the hook
        }
    }
}

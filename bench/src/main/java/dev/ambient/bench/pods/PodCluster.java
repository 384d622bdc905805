package dev.ambient.bench.pods;

import dev.ambient.bench.Bench;
import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Route;
import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.bench.pods.PodLayout.Pod;
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
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod benchmark's world: the {@link PodLayout} built as network namespaces, an application server
 * in every server pod, the mesh file, the CA, a private bpffs for the agents' pins. Only namespaces
 * made here are touched, never the machine's own. {@link #close} removes it all (processes are
 * stopped by their owners first), also from a shutdown hook on SIGTERM or Ctrl-C.
 */
final class PodCluster implements AutoCloseable {

    private final PodLayout layout;
    private final Path dir;
    private final Map<String, NetNamespace> clients = new LinkedHashMap<>();
    private final List<HttpUpstream> upstreams = new ArrayList<>();
    /** Pairs of each ambient group that the mesh file lists so far. */
    private final Map<Scenario, Integer> listed = new EnumMap<>(Scenario.class);
    private final Thread hook = new Thread(this::close, "bench-pods-teardown");
    private boolean mounted;
    private LocalCluster cluster;
    private boolean closed;

    private PodCluster(PodLayout layout, Path dir) {
        this.layout = layout;
        this.dir = dir;
    }

    /**
     * Builds the cluster under {@code dir} with the mesh file listing {@code ambientPairs} pairs of each
     * ambient group; servers run on {@code group}. On failure removes what it made.
     */
    static PodCluster create(PodLayout layout, Path dir, int ambientPairs, Transport transport, EventLoopGroup group)
            throws BenchException {
        if (!"0".equals(Commands.run("id", "-u").strip())) {
            throw new BenchException("the pod benchmark needs root: it creates network namespaces, loads eBPF"
                    + " programs and installs iptables rules inside them (--loopback runs without)");
        }
        PodCluster c = new PodCluster(layout, dir);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.build(ambientPairs, transport, group);
            return c;
        } catch (BenchException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void build(int ambientPairs, Transport transport, EventLoopGroup group) throws BenchException {
        try {
            Files.createDirectories(meshFile().getParent());
            Files.createDirectories(bpffs());
            layout.groups().stream().filter(Group::ambient).forEach(g -> listed.put(g.mode(), ambientPairs));
            writeMesh();
            // Created once here: processes starting at once must not all create it.
            EmbeddedCa.loadOrCreate(caDir(), "cluster.local", Clock.systemUTC());
        } catch (IOException e) {
            throw new BenchException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        Commands.quietly("umount", bpffs().toString()); // a crashed run with the same --out
        Commands.run("mount", "-t", "bpf", "bpf", bpffs().toString());
        mounted = true;
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(layout.yaml(), meshFile().toString()));
        String id = "bp" + Long.toString((ProcessHandle.current().pid() + System.nanoTime()) % 1_679_616, 36);
        try {
            cluster = LocalCluster.create(spec, id);
        } catch (IllegalStateException e) {
            throw new BenchException("cannot build the local cluster " + id + ": " + e.getMessage()
                    + " (./mesh down removes what a crashed run left)", e);
        }
        for (Group g : layout.groups()) {
            for (int i = 0; i < g.pairs(); i++) {
                Pod client = g.client(i);
                clients.put(client.key(), cluster.openPod(client.namespace(), client.name()));
                Pod server = g.server(i);
                try (NetNamespace ns = cluster.openPod(server.namespace(), server.name())) {
                    upstreams.add(HttpUpstream.startIn(ns, application(server), transport, group, Bench.BODY_BYTES));
                }
            }
        }
    }

    /**
     * Rewrites the mesh file in one rename (the agents' watch never reads it half-written) with the
     * first {@code pairs} pairs of the ambient group {@code group}, the other groups as they were.
     * Returns {@link System#nanoTime} just before the rename.
     */
    synchronized long writeMesh(Group group, int pairs) throws BenchException {
        if (!group.ambient()) {
            throw new IllegalArgumentException("BUG: " + group.mode().label() + " has no pods in the mesh file to add");
        }
        listed.put(group.mode(), pairs);
        return writeMesh();
    }

    private long writeMesh() throws BenchException {
        Path next = meshFile().resolveSibling(".mesh.yaml.next");
        try {
            Files.writeString(next, layout.yaml(g -> listed.getOrDefault(g.mode(), 0)));
            long at = System.nanoTime();
            Files.move(next, meshFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return at;
        } catch (IOException e) {
            throw new BenchException("cannot write the mesh file " + meshFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * How the app of client pod i of {@code group} calls server pod i, for pairs {@code 0..pairs-1}; with
     * a waypoint, the app calls the service and the waypoint chooses the server pod.
     */
    List<Route> routes(Group group, int pairs) {
        List<Route> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Pod client = group.client(i);
            InetSocketAddress to = group.waypoint().map(PodWaypoint::service).orElse(application(group.server(i)));
            out.add(Route.fromPod(clients.get(client.key()), address(client.ip()), to));
        }
        return out;
    }

    static InetSocketAddress application(Pod pod) {
        return new InetSocketAddress(address(pod.ip()), PodLayout.APP_PORT);
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("BUG: " + ip + " is not an IP literal", e);
        }
    }

    PodLayout layout() {
        return layout;
    }

    LocalCluster local() {
        return cluster;
    }

    Path dir() {
        return dir;
    }

    Path meshFile() {
        return dir.resolve("mesh").resolve("mesh.yaml");
    }

    Path caDir() {
        return dir.resolve("ca");
    }

    Path bpffs() {
        return dir.resolve("bpffs");
    }

    /** Servers, then the namespaces, then the bpffs with every pin on it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        upstreams.forEach(HttpUpstream::close);
        clients.values().forEach(NetNamespace::close);
        if (cluster != null) {
            cluster.close();
        }
        if (mounted) {
            Commands.quietly("umount", bpffs().toString());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // we are the hook
        }
    }
}

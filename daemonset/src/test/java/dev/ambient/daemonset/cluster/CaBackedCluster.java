package dev.ambient.daemonset.cluster;

import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local cluster (by default {@link TwoPodMesh}'s) with {@code mesh ca} serving in node-a's
 * namespace (its pods from the mesh file, a token per node agent and any others given), for tests
 * whose proxies take their certificates from the CA service; a private bpffs for the agents' pins.
 * Closing stops every process it holds and unmounts.
 */
public final class CaBackedCluster implements AutoCloseable {

    public final Path dir;
    public final Path mesh;
    public final Path logs;
    public final Path bpffs;
    public final ClusterSpec spec;
    public final LocalCluster cluster;
    public final List<NodeProcess> processes = new ArrayList<>();
    private final InetAddress caHost;

    private CaBackedCluster(Path dir, ClusterSpec spec, LocalCluster cluster) {
        this.dir = dir;
        this.mesh = dir.resolve("mesh.yaml");
        this.logs = dir.resolve("logs");
        this.bpffs = dir.resolve("bpffs");
        this.spec = spec;
        this.cluster = cluster;
        this.caHost = spec.nodes().get("node-a");
    }

    /** Builds it under {@code target/<prefix>...}; {@code id} keeps its namespaces apart from other tests'. */
    public static CaBackedCluster start(String prefix, String id) throws Exception {
        return start(prefix, id, TwoPodMesh.YAML, "");
    }

    /** The same for the mesh file {@code yaml}, with {@code moreTokens} ({@code token ns/sa [node]} lines). */
    public static CaBackedCluster start(String prefix, String id, String yaml, String moreTokens) throws Exception {
        RootOnly.require();
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), prefix).toAbsolutePath();
        Path mesh = Files.writeString(dir.resolve("mesh.yaml"), yaml);
        Path tokens = Files.writeString(dir.resolve("tokens"), """
                agent-a-token ambient-system/ztunnel node-a
                agent-b-token ambient-system/ztunnel node-b
                """ + moreTokens);
        Path bpffs = Files.createDirectories(dir.resolve("bpffs"));
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(yaml, mesh.toString()));
        CaBackedCluster c;
        try {
            c = new CaBackedCluster(dir, spec, LocalCluster.create(spec,
                    Long.toString(ProcessHandle.current().pid() % 100_000, 36) + id));
        } catch (RuntimeException e) {
            Commands.quietly("umount", bpffs.toString());
            throw e;
        }
        try {
            NodeProcess ca = NodeProcess.startCa(c.cluster.nodeNamespace("node-a"), mesh, c.caDir(), tokens, c.logs,
                    c.caAddress());
            c.processes.add(ca);
            ca.awaitListening(new InetSocketAddress(c.caHost, 15012), Duration.ofSeconds(30));
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    public NodeProcess ca() {
        return processes.get(0);
    }

    public String caAddress() {
        return caHost.getHostAddress() + ":15012";
    }

    public Path caDir() {
        return dir.resolve("ca");
    }

    public Path caRoot() {
        return caDir().resolve("root-cert.pem");
    }

    /** The token file of {@code node}'s agent, bound to that node in the CA's token list. */
    public Path token(String node) throws Exception {
        return tokenFile(node, "agent-" + node.substring(5) + "-token");
    }

    /** A token file named {@code name} holding {@code token}. */
    public Path tokenFile(String name, String token) throws Exception {
        return Files.writeString(dir.resolve(name + ".token"), token + "\n");
    }

    /**
     * Starts node-a's and node-b's agents as their DaemonSet does ({@code mesh agent --kubernetes}),
     * their workloads from the API server behind {@code relays}, their certificates from this CA;
     * returns them once both are ready.
     */
    public List<NodeProcess> startKubernetesAgents(ApiServerRelays relays) throws Exception {
        List<NodeProcess> agents = new ArrayList<>();
        for (String node : List.of("node-a", "node-b")) {
            Map<String, String> env = new HashMap<>(Map.of("NODE_NAME", node, "CA_ADDRESS", caAddress(),
                    "CA_ROOT", caRoot().toString(), "TOKEN_FILE", token(node).toString(), "BPFFS", bpffs.toString(),
                    "DRAIN_TIMEOUT", "2s", "POD_DRAIN", "1s"));
            try (NetNamespace ns = cluster.openNode(node)) {
                env.putAll(relays.into(ns));
            }
            NodeProcess agent = NodeProcess.startAgentInCluster(node, cluster.nodeNamespace(node), logs, env);
            processes.add(agent);
            agents.add(agent);
        }
        for (NodeProcess agent : agents) {
            agent.awaitReady(15021, Duration.ofSeconds(60));
        }
        return agents;
    }

    @Override
    public void close() {
        processes.forEach(NodeProcess::close);
        cluster.close();
        Commands.quietly("umount", bpffs.toString());
    }
}

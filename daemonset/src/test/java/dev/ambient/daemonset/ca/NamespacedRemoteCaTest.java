package dev.ambient.daemonset.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.cluster.RootOnly;
import dev.ambient.daemonset.cluster.TwoPodMesh;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two local nodes whose agents get every certificate from one CA service over gRPC (`mesh ca` in
 * node-a's namespace, reached over the node network, each agent with its own token bound to its own
 * node): traffic between enrolled pods on the two nodes flows with identities that CA issued, and it
 * issued each pod's identity to the agent of that pod's node only.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NamespacedRemoteCaTest {

    private static final String MESH = TwoPodMesh.YAML;

    @Test
    void agentsOnTwoNodesUseOneCaServiceAndTrafficFlows() throws Exception {
        RootOnly.require();
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), "remote-ca-").toAbsolutePath();
        Path mesh = Files.writeString(dir.resolve("mesh.yaml"), MESH);
        Path caDir = dir.resolve("ca");
        Path logs = dir.resolve("logs");
        Path bpffs = Files.createDirectories(dir.resolve("bpffs"));
        Path tokens = Files.writeString(dir.resolve("tokens"), """
                agent-a-token ambient-system/ztunnel node-a
                agent-b-token ambient-system/ztunnel node-b
                """);
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(MESH, mesh.toString()));
        List<NodeProcess> processes = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.create(spec,
                Long.toString(ProcessHandle.current().pid() % 100_000, 36) + "c")) {
            InetAddress caHost = spec.nodes().get("node-a");
            NodeProcess ca = NodeProcess.startCa(cluster.nodeNamespace("node-a"), mesh, caDir, tokens, logs,
                    caHost.getHostAddress() + ":15012");
            processes.add(ca);
            awaitListening(cluster.nodeNamespace("node-a"), new InetSocketAddress(caHost, 15012), ca);
            for (String node : List.of("node-a", "node-b")) {
                Path token = Files.writeString(dir.resolve(node + ".token"), "agent-" + node.substring(5) + "-token\n");
                NodeProcess agent = NodeProcess.startAgent(node, cluster.nodeNamespace(node), mesh, dir.resolve(
                        "no-local-root-" + node), logs, List.of("--bpffs", bpffs.toString(), "--drain-timeout", "2s",
                        "--ca-address", caHost.getHostAddress() + ":15012", "--ca-root",
                        caDir.resolve("root-cert.pem").toString(), "--token-file", token.toString()));
                processes.add(agent);
            }
            for (NodeProcess p : processes.subList(1, processes.size())) {
                p.awaitReady(15021, Duration.ofSeconds(60));
            }
            Thread.sleep(1500); // the agents' first enrolment pass
            try (NetNamespace client = cluster.openPod("demo", "client");
                    EchoApp server = EchoApp.start(cluster.openPod("demo", "server"), 8080)) {
                byte[] payload = new byte[4096];
                new java.util.Random(3).nextBytes(payload);
                assertArrayEquals(payload, PodConnections.roundTrip(client,
                        new InetSocketAddress(spec.pod("demo", "server").ip(), 8080), payload));
            }
            String nodeB = processes.get(2).get(15020, "/metrics");
            assertTrue(nodeB.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                    && l.contains("source_principal=\"spiffe://cluster.local/ns/demo/sa/client\"")
                    && l.contains("mutual_tls")), "node-b saw the client's CA-issued identity over mutual TLS");
            String caLog = Files.readString(logs.resolve("ca.log"));
            assertTrue(caLog.contains("signed spiffe://cluster.local/ns/demo/sa/client for ambient-system/ztunnel on "
                    + "node node-a"), caLog);
            assertTrue(caLog.contains("signed spiffe://cluster.local/ns/demo/sa/server for ambient-system/ztunnel on "
                    + "node node-b"), caLog);
            assertTrue(!Files.exists(dir.resolve("no-local-root-node-a").resolve("root-key.pem")),
                    "no agent made a root of its own");
        } finally {
            processes.forEach(NodeProcess::close);
            Commands.quietly("umount", bpffs.toString());
        }
    }

    private static void awaitListening(String namespace, InetSocketAddress address, NodeProcess ca) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            while (System.nanoTime() < deadline) {
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
        throw new IllegalStateException("the CA did not listen on " + address + " within 30 s:\n" + ca.logTail());
    }
}

package dev.ambient.daemonset.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.CaBackedCluster;
import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
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

    @Test
    void agentsOnTwoNodesUseOneCaServiceAndTrafficFlows() throws Exception {
        try (CaBackedCluster c = CaBackedCluster.start("remote-ca-", "c")) {
            LocalCluster cluster = c.cluster;
            ClusterSpec spec = c.spec;
            List<NodeProcess> processes = c.processes;
            for (String node : List.of("node-a", "node-b")) {
                NodeProcess agent = NodeProcess.startAgent(node, cluster.nodeNamespace(node), c.mesh, c.dir.resolve(
                        "no-local-root-" + node), c.logs, List.of("--bpffs", c.bpffs.toString(), "--drain-timeout",
                        "2s", "--ca-address", c.caAddress(), "--ca-root", c.caRoot().toString(), "--token-file",
                        c.token(node).toString()));
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
            String caLog = Files.readString(c.logs.resolve("ca.log"));
            assertTrue(caLog.contains("signed spiffe://cluster.local/ns/demo/sa/client for ambient-system/ztunnel on "
                    + "node node-a"), caLog);
            assertTrue(caLog.contains("signed spiffe://cluster.local/ns/demo/sa/server for ambient-system/ztunnel on "
                    + "node node-b"), caLog);
            assertTrue(!Files.exists(c.dir.resolve("no-local-root-node-a").resolve("root-key.pem")),
                    "no agent made a root of its own");
        }
    }
}

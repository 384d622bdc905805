package dev.ambient.daemonset.waypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.ApiServerRelays;
import dev.ambient.daemonset.cluster.CaBackedCluster;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.cluster.TcpMetrics;
import dev.ambient.daemonset.cluster.TwoPodMesh;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A waypoint as its Deployment runs it ({@code mesh waypoint --kubernetes}, in its pod's network
 * namespace) beside two node agents as their DaemonSet runs them, all reading the mock API server and
 * getting certificates from {@code mesh ca}: calls to a pod that uses the waypoint go through it, and
 * the server's node takes them under the waypoint's identity, never the client's.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespacedKubernetesWaypointTest {

    /** The waypoint's pod is declared, as its Deployment would have made it. */
    private static final String CLUSTER = TwoPodMesh.WITH_WAYPOINT + """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: wp-7c9f, namespace: demo, labels: {gateway.networking.k8s.io/gateway-name: wp}}
            spec: {serviceAccountName: wp, nodeName: node-a}
            status: {podIP: 10.240.1.9}
            """;
    private static final InetSocketAddress SERVER_APP = new InetSocketAddress("10.240.2.2", 8080);

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void callsGoThroughTheWaypointDeployment() throws Exception {
        for (HasMetadata object : client.load(new ByteArrayInputStream(CLUSTER.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(object).create();
        }
        try (ApiServerRelays relays = new ApiServerRelays(server.getPort());
                CaBackedCluster c = CaBackedCluster.start("kubernetes-waypoint-", "q", CLUSTER,
                        "waypoint-token demo/wp node-a\n")) {
            List<NodeProcess> agents = c.startKubernetesAgents(relays);
            Map<String, String> env = new HashMap<>(Map.of("NODE_NAME", "node-a", "POD_NAME", "wp-7c9f",
                    "POD_NAMESPACE", "demo", "CA_ADDRESS", c.caAddress(), "CA_ROOT", c.caRoot().toString(),
                    "TOKEN_FILE", c.tokenFile("waypoint", "waypoint-token").toString(), "DRAIN_TIMEOUT", "2s"));
            try (NetNamespace ns = c.cluster.openPod("demo", "wp-7c9f")) {
                env.putAll(relays.into(ns));
            }
            NodeProcess waypoint = NodeProcess.startWaypointInCluster("demo/wp-7c9f",
                    c.cluster.podNamespace("demo", "wp-7c9f"), c.logs, env);
            c.processes.add(waypoint);
            waypoint.awaitReady(15021, Duration.ofSeconds(60));

            try (NetNamespace clientPod = c.cluster.openPod("demo", "client");
                    EchoApp app = EchoApp.start(c.cluster.openPod("demo", "server"), 8080)) {
                byte[] payload = new byte[4096];
                new java.util.Random(11).nextBytes(payload);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                boolean through = false;
                while (!through && System.nanoTime() < deadline) {
                    try {
                        assertArrayEquals(payload, PodConnections.roundTrip(clientPod, SERVER_APP, payload));
                        through = opened(waypoint, "demo/sa/client", "demo/sa/server") > 0;
                    } catch (Exception notYet) {
                        Thread.sleep(200);
                    }
                }
                assertTrue(through, "the waypoint carried the client's call\n" + waypoint.logTail());
                assertTrue(opened(agents.get(1), "demo/sa/wp", "demo/sa/server") > 0,
                        "node-b took it from the waypoint");
                assertEquals(0, opened(agents.get(1), "demo/sa/client", "demo/sa/server"), "never from the client");
            }
        }
    }

    private static long opened(NodeProcess process, String source, String destination) throws Exception {
        return TcpMetrics.opened(process.get(15020, "/metrics"), source, destination);
    }
}

package dev.ambient.daemonset.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambient.daemonset.cluster.ApiServerRelays;
import dev.ambient.daemonset.cluster.CaBackedCluster;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.cluster.TcpMetrics;
import dev.ambient.daemonset.cluster.TwoPodMesh;
import dev.ambient.daemonset.process.AgentEndpoint;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code mesh agent --kubernetes} as its DaemonSet runs it, on two local nodes: settings from the
 * environment, the workloads from an API server (the fabric8 mock server, reached from each node's
 * namespace through a relay on its loopback), certificates from the CA service over gRPC, real eBPF
 * capture. Traffic between the enrolled pods goes over HBONE with the CA's identities; removing the
 * namespace's label in the API takes the pods out of the mesh, and putting it back brings them in.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespacedKubernetesAgentTest {

    private static final InetSocketAddress SERVER_APP = new InetSocketAddress("10.240.2.2", 8080);

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void agentsFollowTheApiServerAndCarryTrafficOverHbone() throws Exception {
        for (HasMetadata object : client.load(new ByteArrayInputStream(TwoPodMesh.YAML.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(object).create();
        }
        try (ApiServerRelays relays = new ApiServerRelays(server.getPort());
                CaBackedCluster c = CaBackedCluster.start("kubernetes-agent-", "k")) {
            LocalCluster cluster = c.cluster;
            List<NodeProcess> agents = c.startKubernetesAgents(relays);
            NodeProcess agentA = agents.get(0);
            NodeProcess agentB = agents.get(1);

            try (NetNamespace clientPod = cluster.openPod("demo", "client");
                    EchoApp app = EchoApp.start(cluster.openPod("demo", "server"), 8080)) {
                BooleanSupplier tunnelled = () -> opened(agentB) > 0;
                await(() -> roundTrip(clientPod) && tunnelled.getAsBoolean(), Duration.ofSeconds(20),
                        "the client's connection reaches node-b over HBONE with the client's identity", agentA);
                assertTrue(Files.readString(agentA.log()).contains("API server state version 1"),
                        "the agent's state came from the API server");
                assertTrue(agentA.get(15020, "/metrics").contains("ambient_apiserver_watch_up{resource=\"pods\"} 1.0"),
                        "its /metrics shows the watch on pods established");

                client.namespaces().withName("demo").edit(n -> {
                    n.getMetadata().getLabels().remove("istio.io/dataplane-mode");
                    return n;
                });
                await(() -> !enrolled(agentA, "client"), Duration.ofSeconds(15), "client out of the mesh", agentA);
                await(() -> logged(agentA, "unenrolled 10.240.1.2"), Duration.ofSeconds(10),
                        "the client's capture detached after POD_DRAIN", agentA);
                long before = opened(agentB);
                long capturedBefore = captured(agentA);
                assertTrue(roundTrip(clientPod), "out of the mesh, the pods still talk, directly");
                assertEquals(before, opened(agentB), "no tunnel for a pod whose namespace lost the label");
                assertEquals(capturedBefore, captured(agentA), "and no capture on node-a");

                client.namespaces().withName("demo").edit(n -> {
                    n.getMetadata().getLabels().put("istio.io/dataplane-mode", "ambient");
                    return n;
                });
                await(() -> enrolled(agentA, "client"), Duration.ofSeconds(15), "client enrolled again", agentA);
                await(() -> roundTrip(clientPod) && opened(agentB) > before, Duration.ofSeconds(15),
                        "labelled again in the API, the client's traffic is tunnelled again", agentA);
            }
        }
    }

    private static boolean roundTrip(NetNamespace clientPod) {
        byte[] payload = new byte[2048];
        new java.util.Random(7).nextBytes(payload);
        try {
            assertArrayEquals(payload, PodConnections.roundTrip(clientPod, SERVER_APP, payload));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Connections node-b's agent accepted over HBONE from the client's CA-issued identity, with mutual TLS. */
    private static long opened(NodeProcess agentB) {
        try {
            return TcpMetrics.opened(agentB.get(15020, "/metrics"), "demo/sa/client", "demo/sa/server",
                    "connection_security_policy=\"mutual_tls\"");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean logged(NodeProcess agent, String line) {
        try {
            return Files.readString(agent.log()).contains(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long captured(NodeProcess agentA) throws Exception {
        return AgentEndpoint.captureCounter(agentA.get(15020, "/metrics"), "outbound_new");
    }

    /** Whether the agent's state has {@code pod} (namespace demo) in the mesh. */
    private static boolean enrolled(NodeProcess agent, String pod) {
        try {
            for (JsonNode w : new ObjectMapper().readTree(agent.get(15000, "/config_dump")).path("workloads")) {
                if (w.path("namespace").asText().equals("demo") && w.path("name").asText().equals(pod)) {
                    return w.path("protocol").asText().equals("HBONE");
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, Duration within, String what, NodeProcess agent)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("within " + within.toSeconds() + " s: " + what + "\n" + agent.logTail());
    }
}

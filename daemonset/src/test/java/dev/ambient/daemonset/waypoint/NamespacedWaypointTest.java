package dev.ambient.daemonset.waypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalMesh;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.cluster.TcpMetrics;
import dev.ambient.daemonset.cluster.TwoPodMesh;
import dev.ambient.daemonset.process.MeshProcesses;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A waypoint in a real local cluster, its pod given by the cluster (the file declares only the
 * Gateway): the client pod's node (eBPF capture) tunnels calls for a pod
 * that uses the waypoint to the waypoint's pod, whose own proxy passes them on to the server's node
 * under the waypoint's identity; a pod without the label is reached directly, and without the waypoint
 * the call is refused rather than routed around it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespacedWaypointTest {

    private static final String MESH = TwoPodMesh.WITH_WAYPOINT + """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: plain, namespace: demo}
            spec: {serviceAccountName: plain, nodeName: node-b}
            status: {podIP: 10.240.2.3}
            """;
    private static final int APP_PORT = 8080;

    @Test
    void callsGoThroughTheWaypointAndNeverAroundIt() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(MESH, "w");
                NetNamespace client = mesh.cluster.openPod("demo", "client");
                EchoApp server = EchoApp.start(mesh.cluster.openPod("demo", "server"), APP_PORT);
                EchoApp plain = EchoApp.start(mesh.cluster.openPod("demo", "plain"), APP_PORT)) {
            ClusterSpec spec = mesh.spec;
            assertTrue(spec.pod("demo", "wp-0").waypoint(),
                    "the file declares no pod for the waypoint, so the local cluster gives it wp-0 and runs its proxy");
            assertEquals("10.254.0.10", spec.pod("demo", "wp-0").ip().getHostAddress());
            MeshProcesses processes = mesh.processes;
            NodeProcess waypoint = processes.sidecars().get("demo/wp-0");
            NodeProcess b = processes.agents().get("node-b");
            Thread.sleep(1500); // the agents' first enrolment pass
            InetSocketAddress toServer = new InetSocketAddress(spec.pod("demo", "server").ip(), APP_PORT);
            InetSocketAddress toPlain = new InetSocketAddress(spec.pod("demo", "plain").ip(), APP_PORT);

            assertArrayEquals(payload(8192), PodConnections.roundTrip(client, toServer, payload(8192)));
            String bMetrics = b.get(15020, "/metrics");
            assertTrue(TcpMetrics.opened(bMetrics, "demo/sa/wp", "demo/sa/server") > 0,
                    "node-b took the call from the waypoint\n" + bMetrics);
            assertEquals(0, TcpMetrics.opened(bMetrics, "demo/sa/client", "demo/sa/server"), "never from the client itself");
            assertTrue(TcpMetrics.opened(waypoint.get(15020, "/metrics"), "demo/sa/client", "demo/sa/server") > 0,
                    "the waypoint carried it");

            // A pod without the label is called directly.
            assertArrayEquals(payload(512), PodConnections.roundTrip(client, toPlain, payload(512)));
            assertTrue(TcpMetrics.opened(b.get(15020, "/metrics"), "demo/sa/client", "demo/sa/plain") > 0);

            // Without the waypoint, calls to the server fail: nothing routes around it.
            waypoint.kill();
            int calls = server.calls();
            boolean failed;
            try {
                failed = !Arrays.equals(payload(256), PodConnections.roundTrip(client, toServer, payload(256)));
            } catch (Exception expected) {
                failed = true;
            }
            assertTrue(failed, "the server must not be reachable around its waypoint");
            assertEquals(calls, server.calls());
        }
    }

    private static byte[] payload(int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (i * 31 + 7);
        }
        return out;
    }
}

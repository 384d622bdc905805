package dev.ambient.daemonset.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.socks.Socks5Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real network namespaces: two nodes on a shared link, a pod on each, a ztunnel process per node.
 * The client pod reaches the server pod through its node's SOCKS5 and an HBONE tunnel across the
 * node link; a capture on the link shows the tunnel and never the application's bytes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NamespacedZtunnelTest {

    private static final String MESH = TwoPodMesh.YAML;
    private static final int APP_PORT = 8080;
    private static final byte[] MARKER = "AMBIENT-PLAINTEXT-MARKER-".getBytes(StandardCharsets.US_ASCII);

    @Test
    void podToPodAcrossNodesIsTunnelledAndNeverInClear() throws Exception {
        RootOnly.require();
        // Kept under target/ so the ztunnel logs and the capture can be read after a failure.
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), "namespaced-");
        Path mesh = dir.resolve("mesh.yaml");
        Files.writeString(mesh, MESH);
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(MESH, mesh.toString()));
        String id = Long.toString(ProcessHandle.current().pid() % 100_000, 36);
        try (LocalCluster cluster = LocalCluster.create(spec, id)) {
            for (String node : spec.nodes().keySet()) {
                cluster.steerHboneToNode(node, 15008);
            }
            PacketCapture capture = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0", dir.resolve("link.pcap"));
            List<String> flags = List.of("--transparent", "--socks5-address", LocalCluster.GATEWAY);
            try (NodeProcess a = NodeProcess.start("node-a", cluster.nodeNamespace("node-a"), mesh,
                    dir.resolve("ca"), dir.resolve("logs"), flags);
                    NodeProcess b = NodeProcess.start("node-b", cluster.nodeNamespace("node-b"), mesh,
                            dir.resolve("ca"), dir.resolve("logs"), flags);
                    NetNamespace serverPod = cluster.openPod("demo", "server");
                    EchoApp app = EchoApp.start(serverPod, APP_PORT)) {
                a.awaitReady(15021, Duration.ofSeconds(60));
                b.awaitReady(15021, Duration.ofSeconds(60));

                byte[] payload = payload(256 * 1024);
                InetAddress clientIp = spec.pod("demo", "client").ip();
                InetSocketAddress server = new InetSocketAddress(spec.pod("demo", "server").ip(), APP_PORT);
                byte[] echoed;
                try (NetNamespace pod = cluster.openPod("demo", "client");
                        Socket socket = pod.call(() -> Socks5Client.connect(clientIp,
                                new InetSocketAddress(LocalCluster.GATEWAY, 15080), server))) {
                    echoed = roundTrip(socket, payload);
                } catch (IOException e) {
                    throw new AssertionError("pod-to-pod through the mesh failed: " + e.getMessage()
                            + "\n--- node-a ---\n" + a.logTail() + "\n--- node-b ---\n" + b.logTail(), e);
                }
                assertArrayEquals(payload, echoed, "the server pod echoed different bytes");

                String metrics = b.get(15020, "/metrics");
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                        && l.contains("reporter=\"destination\"")
                        && l.contains("source_principal=\"spiffe://cluster.local/ns/demo/sa/client\"")
                        && l.contains("destination_principal=\"spiffe://cluster.local/ns/demo/sa/server\"")
                        && l.contains("connection_security_policy=\"mutual_tls\"")),
                        "node-b reports the connection as mutual TLS between the two identities:\n" + metrics);
            } finally {
                capture.close();
            }
            PacketCapture.Summary wire = capture.stop(APP_PORT, MARKER);
            assertTrue(wire.hbonePackets() > 0, "the capture on node-a's link must show the HBONE tunnel:\n"
                    + head(wire.text()));
            assertEquals(0, wire.appPortPackets(), "no connection to the app port may cross the node link:\n"
                    + head(wire.text()));
            assertFalse(wire.markerInClear(), "application bytes crossed the node link in clear");
        }
    }

    private static byte[] roundTrip(Socket socket, byte[] payload) throws Exception {
        return PodConnections.roundTrip(socket, payload);
    }

    private static byte[] payload(int size) {
        return PodConnections.payload(MARKER, size);
    }

    private static String head(String text) {
        return text.lines().limit(30).reduce("", (a, b) -> a + b + "\n");
    }
}

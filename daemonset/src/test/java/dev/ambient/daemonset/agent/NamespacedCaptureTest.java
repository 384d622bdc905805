package dev.ambient.daemonset.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PacketCapture;
import dev.ambient.daemonset.cluster.RootOnly;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real eBPF capture: two nodes, a node agent per node (ztunnel plus the capture programs), pods in an
 * enrolled namespace and one outside it. Applications connect to each other's pod IPs with no proxy
 * configured; the mesh takes their traffic anyway, and only where it should.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespacedCaptureTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: demo, labels: {istio.io/dataplane-mode: ambient}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: legacy}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: demo}
            spec: {serviceAccountName: client, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: server, namespace: demo}
            spec: {serviceAccountName: server, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: old, namespace: legacy}
            spec: {nodeName: node-a}
            status: {podIP: 10.240.1.3}
            """;
    private static final int APP_PORT = 8080;
    private static final byte[] MARKER = "CAPTURED-PLAINTEXT-MARKER-".getBytes(StandardCharsets.US_ASCII);

    @Test
    void podTrafficIsCapturedTunnelledAndDeliveredFromTheClientsAddress() throws Exception {
        RootOnly.require();
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), "capture-").toAbsolutePath();
        Path mesh = dir.resolve("mesh.yaml");
        Files.writeString(mesh, MESH);
        Path bpffs = Files.createDirectories(dir.resolve("bpffs"));
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(MESH, mesh.toString()));
        String id = Long.toString(ProcessHandle.current().pid() % 100_000, 36) + "c";
        List<String> flags = List.of("--bpffs", bpffs.toString(), "--drain-timeout", "2s");
        try (LocalCluster cluster = LocalCluster.create(spec, id)) {
            try (NodeProcess a = NodeProcess.startAgent("node-a", cluster.nodeNamespace("node-a"), mesh,
                    dir.resolve("ca"), dir.resolve("logs"), flags);
                    NodeProcess b = NodeProcess.startAgent("node-b", cluster.nodeNamespace("node-b"), mesh,
                            dir.resolve("ca"), dir.resolve("logs"), flags);
                    NetNamespace serverPod = cluster.openPod("demo", "server");
                    NetNamespace clientPod = cluster.openPod("demo", "client");
                    NetNamespace oldPod = cluster.openPod("legacy", "old");
                    RecordingEcho app = RecordingEcho.start(serverPod, APP_PORT)) {
                a.awaitReady(15021, Duration.ofSeconds(60));
                b.awaitReady(15021, Duration.ofSeconds(60));
                awaitLog(a, "enrolled demo/client");
                awaitLog(b, "enrolled demo/server");
                InetSocketAddress server = new InetSocketAddress(spec.pod("demo", "server").ip(), APP_PORT);

                PacketCapture wire = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0", dir.resolve("link.pcap"));
                byte[] payload = payload(128 * 1024);
                assertArrayEquals(payload, roundTrip(clientPod, server, payload), "echo through capture");
                PacketCapture.Summary link = wire.stop(APP_PORT, MARKER);
                assertTrue(link.hbonePackets() > 0, "the pods' connection crossed as HBONE:\n" + link.text());
                assertEquals(0, link.appPortPackets(), "no packet to the app port crossed the link:\n" + link.text());
                assertFalse(link.markerInClear(), "the enrolled pod's bytes crossed the node link in clear");
                assertEquals(spec.pod("demo", "client").ip(), app.lastClient(), "the app sees the original client");
                String metricsB = b.get(15020, "/metrics");
                assertTrue(metricsB.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                        && l.contains("reporter=\"destination\"")
                        && l.contains("source_principal=\"spiffe://cluster.local/ns/demo/sa/client\"")
                        && l.contains("destination_principal=\"spiffe://cluster.local/ns/demo/sa/server\"")
                        && l.contains("connection_security_policy=\"mutual_tls\"")), metricsB);
                assertTrue(counter(a.get(15020, "/metrics"), "outbound_new") > 0, "node-a captured outbound");
                assertTrue(counter(metricsB, "hbone_new") > 0, "node-b captured the tunnel");

                // A pod outside the mesh calling an enrolled pod: plaintext, through 15006 and policy.
                assertArrayEquals(payload(1024), roundTrip(oldPod, server, payload(1024)));
                assertEquals(spec.pod("legacy", "old").ip(), app.lastClient());
                String afterPlain = b.get(15020, "/metrics");
                assertTrue(counter(afterPlain, "inbound_new") > 0, "node-b captured the plaintext call");
                assertTrue(afterPlain.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                        && l.contains("reporter=\"destination\"") && l.contains("connection_security_policy=\"unknown\"")),
                        afterPlain);
            }
        } finally {
            Commands.quietly("umount", bpffs.toString());
        }
    }

    private static long counter(String metrics, String decision) {
        return metrics.lines().filter(l -> l.startsWith("ambient_capture_packets_total") && l.contains(
                "decision=\"" + decision + "\"")).mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void awaitLog(NodeProcess process, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!process.logTail().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + line + "' in the agent's log:\n" + process.logTail());
            }
            Thread.sleep(100);
        }
    }

    private static byte[] roundTrip(NetNamespace pod, InetSocketAddress server, byte[] payload) throws Exception {
        try (Socket socket = pod.call(() -> {
            Socket s = new Socket();
            s.connect(server, 5_000);
            s.setSoTimeout(20_000);
            return s;
        })) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException ignored) {
                    // the read reports it
                }
            });
            byte[] echoed = socket.getInputStream().readAllBytes();
            writer.join();
            return echoed;
        }
    }

    private static byte[] payload(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = MARKER[i % MARKER.length];
        }
        return data;
    }

    /** An echo app that remembers who called it last. */
    static final class RecordingEcho implements AutoCloseable {
        private final ServerSocket server;
        private final List<InetAddress> clients = new CopyOnWriteArrayList<>();

        private RecordingEcho(ServerSocket server) {
            this.server = server;
        }

        static RecordingEcho start(NetNamespace pod, int port) throws Exception {
            RecordingEcho echo = new RecordingEcho(pod.call(() -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(port));
                return s;
            }));
            Thread.ofVirtual().start(echo::serve);
            return echo;
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    clients.add(s.getInetAddress());
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                            s.shutdownOutput();
                        } catch (IOException ignored) {
                            // client gone
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        }

        InetAddress lastClient() {
            return clients.isEmpty() ? null : clients.get(clients.size() - 1);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

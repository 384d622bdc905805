package dev.ambient.daemonset.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PacketCapture;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.cluster.RootOnly;
import dev.ambient.daemonset.process.AgentEndpoint;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Real eBPF capture: two nodes, a node agent per node (ztunnel plus the capture programs), pods in an
 * enrolled namespace and one outside it. Applications connect to each other's pod IPs with no proxy
 * configured; the mesh takes their traffic anyway, and only where it should.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: neighbor, namespace: demo}
            spec: {serviceAccountName: neighbor, nodeName: node-a}
            status: {podIP: 10.240.1.4}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: peer, namespace: legacy}
            spec: {nodeName: node-b}
            status: {podIP: 10.240.2.3}
            """;
    private static final String DENY_NEIGHBOR = """
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-client, namespace: demo}
            spec:
              action: DENY
              rules: [{from: [{source: {principals: ["cluster.local/ns/demo/sa/client"]}}], to: [{operation: {ports: ["8080"]}}]}]
            """;
    private static final String STRICT = """
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: strict, namespace: demo}
            spec: {mtls: {mode: STRICT}}
            """;
    private static final int APP_PORT = 8080;
    private static final byte[] MARKER = "CAPTURED-PLAINTEXT-MARKER-".getBytes(StandardCharsets.US_ASCII);

    private Path dir;
    private Path mesh;
    private Path bpffs;
    private ClusterSpec spec;
    private LocalCluster cluster;
    private NodeProcess a;
    private NodeProcess b;
    private NetNamespace clientPod;
    private NetNamespace oldPod;
    private EchoApp app;
    private EchoApp peerApp;
    private EchoApp neighborApp;
    private InetSocketAddress server;
    private List<String> flags;

    @BeforeAll
    void start() throws Exception {
        RootOnly.require();
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target"), "capture-").toAbsolutePath();
        mesh = dir.resolve("mesh.yaml");
        Files.writeString(mesh, MESH);
        bpffs = Files.createDirectories(dir.resolve("bpffs"));
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        spec = ClusterSpec.of(new MeshFileParser().parse(MESH, mesh.toString()));
        cluster = LocalCluster.create(spec, Long.toString(ProcessHandle.current().pid() % 100_000, 36) + "c");
        flags = List.of("--bpffs", bpffs.toString(), "--drain-timeout", "2s", "--pod-drain", "3s");
        a = startAgent("node-a");
        b = startAgent("node-b");
        clientPod = cluster.openPod("demo", "client");
        oldPod = cluster.openPod("legacy", "old");
        app = EchoApp.start(cluster.openPod("demo", "server"), APP_PORT);
        peerApp = EchoApp.start(cluster.openPod("legacy", "peer"), APP_PORT);
        neighborApp = EchoApp.start(cluster.openPod("demo", "neighbor"), APP_PORT);
        server = new InetSocketAddress(spec.pod("demo", "server").ip(), APP_PORT);
        awaitLog(a, "enrolled demo/client", 0);
        awaitLog(b, "enrolled demo/server", 0);
    }

    private NodeProcess startAgent(String node) throws Exception {
        NodeProcess agent = NodeProcess.startAgent(node, cluster.nodeNamespace(node), mesh, dir.resolve("ca"),
                dir.resolve("logs-" + System.nanoTime()), flags);
        agent.awaitReady(15021, Duration.ofSeconds(60));
        return agent;
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {app, peerApp, neighborApp, clientPod, oldPod, a, b, cluster}) {
            if (c != null) {
                c.close();
            }
        }
        Commands.quietly("umount", bpffs.toString());
    }

    @Test
    @Order(10)
    void anEnrolledPodsConnectionIsCapturedTunnelledAndDeliveredFromTheClientsAddress() throws Exception {
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
        assertTrue(counter(a, "outbound_new") > 0, "node-a captured outbound");
        assertTrue(counter(b, "hbone_new") > 0, "node-b captured the tunnel");
    }

    @Test
    @Order(20)
    void aPodOutsideTheMeshReachesAnEnrolledPodThroughInboundCaptureAndPolicy() throws Exception {
        long before = counter(b, "inbound_new");
        assertArrayEquals(payload(1024), roundTrip(oldPod, server, payload(1024)));
        assertEquals(spec.pod("legacy", "old").ip(), app.lastClient());
        assertEquals(before + 1, counter(b, "inbound_new"), "node-b captured the plaintext call");
        assertTrue(b.get(15020, "/metrics").lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                && l.contains("reporter=\"destination\"") && l.contains("connection_security_policy=\"unknown\"")));
    }

    @Test
    @Order(30)
    void podsOutsideTheMeshTalkExactlyAsBefore() throws Exception {
        long[] before = captureCounters();
        InetSocketAddress peer = new InetSocketAddress(spec.pod("legacy", "peer").ip(), APP_PORT);
        assertArrayEquals(payload(4096), roundTrip(oldPod, peer, payload(4096)));
        assertEquals(spec.pod("legacy", "old").ip(), peerApp.lastClient());
        assertArrayEquals(before, captureCounters(), "nothing of theirs was captured");
    }

    @Test
    @Order(40)
    void aProbeFromTheNodeReachesThePodDirectly() throws Exception {
        long[] before = captureCounters();
        try (NetNamespace nodeB = cluster.openNode("node-b")) {
            assertArrayEquals(payload(16), roundTrip(nodeB, server, payload(16)));
        }
        assertEquals(InetAddress.getByName(LocalCluster.GATEWAY), app.lastClient(), "the app saw the node, unproxied");
        assertArrayEquals(before, captureCounters(), "the probe was not captured");
    }

    @Test
    @Order(50)
    void strictPeerAuthenticationRefusesPlaintextAndPermissiveDeliversIt() throws Exception {
        Files.writeString(mesh, MESH + STRICT);
        Thread.sleep(1500);
        int calls = app.calls();
        assertTrue(failsOrEmpty(() -> roundTrip(oldPod, server, payload(100))), "STRICT must refuse plaintext");
        assertEquals(calls, app.calls(), "a refused call never reaches the app");
        // A client that writes and closes at once: its bytes must not be lost before the relay exists.
        assertArrayEquals(payload(100), roundTrip(clientPod, server, payload(100)), "mutual TLS still passes");
        Files.writeString(mesh, MESH);
        Thread.sleep(1500);
        assertArrayEquals(payload(100), roundTrip(oldPod, server, payload(100)), "PERMISSIVE delivers it again");
    }

    @Test
    @Order(55)
    void podsOnTheSameNodeAreCapturedAndAuthorizedWithoutLeavingIt() throws Exception {
        InetSocketAddress neighbor = new InetSocketAddress(spec.pod("demo", "neighbor").ip(), APP_PORT);
        long captured = counter(a, "outbound_new");
        assertArrayEquals(payload(2048), roundTrip(clientPod, neighbor, payload(2048)));
        assertEquals(spec.pod("demo", "client").ip(), neighborApp.lastClient(), "the neighbour sees the client");
        assertEquals(captured + 1, counter(a, "outbound_new"));
        Files.writeString(mesh, MESH + DENY_NEIGHBOR);
        Thread.sleep(1500);
        int calls = neighborApp.calls();
        assertTrue(failsOrEmpty(() -> roundTrip(clientPod, neighbor, payload(64))), "the neighbour's DENY applies");
        assertEquals(calls, neighborApp.calls(), "a denied call never reaches the neighbour");
        Files.writeString(mesh, MESH);
        Thread.sleep(1500);
    }

    @Test
    @Order(60)
    void theProxysOwnConnectionsAreNotRecaptured() throws Exception {
        String metricsB = b.get(15020, "/metrics");
        assertFalse(metricsB.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                && l.contains("reporter=\"source\"")), "node-b's deliveries looped back into its own outbound:\n"
                + metricsB);
        assertEquals(0, counter(a, "no_listener") + counter(b, "no_listener"), "no captured packet missed a listener");
    }

    @Test
    @Order(70)
    void unenrolAndEnrolLiveWithoutCuttingAnOpenConnection() throws Exception {
        try (Socket open = connect(clientPod, server)) {
            exchange(open, 10);
            Files.writeString(mesh, MESH.replace("labels: {istio.io/dataplane-mode: ambient}", "labels: {}"));
            awaitLog(a, "draining 10.240.1.2", 0);
            exchange(open, 20); // inside the drain period the captured connection keeps working
            long captured = counter(a, "outbound_new");
            assertArrayEquals(payload(64), roundTrip(clientPod, server, payload(64)), "a new call goes direct");
            assertEquals(captured, counter(a, "outbound_new"), "a draining pod's new connection is not captured");
        }
        awaitLog(a, "unenrolled 10.240.1.2", 0);
        Files.writeString(mesh, MESH);
        awaitLog(a, "enrolled demo/client", 1);
        awaitLog(b, "enrolled demo/server", 1);
        long captured = counter(a, "outbound_new");
        assertArrayEquals(payload(64), roundTrip(clientPod, server, payload(64)));
        assertEquals(captured + 1, counter(a, "outbound_new"), "captured again once re-enrolled");
    }

    @Test
    @Order(80)
    void aRestartedAgentTakesBackItsMapsAndLinks() throws Exception {
        Path links = bpffs.resolve("ambient/node-a/links");
        List<String> before = list(links);
        a.close();
        a = startAgent("node-a");
        awaitLog(a, "took back POD_INGRESS", 0);
        assertEquals(before, list(links), "the same attachments, none twice");
        assertArrayEquals(payload(256), roundTrip(clientPod, server, payload(256)));
        assertTrue(counter(a, "outbound_new") > 0, "the new agent captures");
    }

    @Test
    @Order(90)
    void aKilledAgentFailsClosed() throws Exception {
        a.kill();
        PacketCapture wire = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0", dir.resolve("killed.pcap"));
        int calls = app.calls();
        assertTrue(failsOrEmpty(() -> roundTrip(clientPod, server, payload(1024))),
                "with no agent, an enrolled pod's connection must fail, not leave in clear");
        PacketCapture.Summary link = wire.stop(APP_PORT, MARKER);
        assertEquals(0, link.appPortPackets(), "nothing went to the app port in clear:\n" + link.text());
        assertFalse(link.markerInClear());
        assertEquals(calls, app.calls());
    }

    @Test
    @Order(100)
    void uninstallLeavesNothingOfOursBehind() throws Exception {
        Commands.run(Commands.inNetns(cluster.nodeNamespace("node-a"), dev.ambient.daemonset.process.JavaCommand.of(
                List.of(), NodeProcess.AGENT, List.of("--mesh", mesh.toString(), "--node", "node-a", "--ca-dir",
                        dir.resolve("ca").toString(), "--bpffs", bpffs.toString(), "--uninstall"))));
        assertFalse(Files.exists(bpffs.resolve("ambient/node-a")), "pins remain");
        assertEquals("", Commands.ip(cluster.nodeNamespace("node-a"), "rule", "show", "pref", "100").strip());
        assertEquals("", Commands.ip(cluster.nodeNamespace("node-a"), "route", "show", "table", "100").strip());
        assertArrayEquals(payload(64), roundTrip(clientPod, server, payload(64)),
                "with the mesh removed from the node, pods talk as without a mesh");
    }

    private long[] captureCounters() throws Exception {
        return new long[] {counter(a, "outbound_new"), counter(a, "inbound_new"), counter(a, "hbone_new"),
            counter(b, "outbound_new"), counter(b, "inbound_new"), counter(b, "hbone_new")};
    }

    private static long counter(NodeProcess node, String decision) throws Exception {
        return counter(node.get(15020, "/metrics"), decision);
    }

    private static long counter(String metrics, String decision) {
        return AgentEndpoint.captureCounter(metrics, decision);
    }

    /** Waits until {@code line} occurs in the log more than {@code seen} times. */
    private static void awaitLog(NodeProcess process, String line, int seen) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.readString(process.log()).split(java.util.regex.Pattern.quote(line), -1).length - 1 <= seen) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + line + "' in the agent's log:\n" + process.logTail());
            }
            Thread.sleep(100);
        }
    }

    private static Socket connect(NetNamespace pod, InetSocketAddress server) throws Exception {
        return PodConnections.connect(pod, server);
    }

    private static void exchange(Socket socket, int size) throws IOException {
        byte[] data = payload(size);
        socket.getOutputStream().write(data);
        byte[] back = socket.getInputStream().readNBytes(size);
        assertArrayEquals(data, back, "the open connection stopped working");
    }

    /** Whether the call failed or got nothing back (refused, dropped, reset). */
    private static boolean failsOrEmpty(java.util.concurrent.Callable<byte[]> call) {
        try {
            return call.call().length == 0;
        } catch (Exception e) {
            return true;
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] roundTrip(NetNamespace pod, InetSocketAddress server, byte[] payload) throws Exception {
        return PodConnections.roundTrip(pod, server, payload);
    }

    private static byte[] payload(int size) {
        return PodConnections.payload(MARKER, size);
    }
}

package dev.ambient.daemonset.sidecar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.LocalMesh;
import dev.ambient.daemonset.cluster.PacketCapture;
import dev.ambient.daemonset.cluster.PodConnections;
import dev.ambient.daemonset.process.MeshProcesses;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sidecar mode beside ambient mode, in one mesh: a pod with its own proxy (iptables capture in its
 * namespace) and an ambient pod (eBPF capture on its node) talk both ways through HBONE, each side
 * proving its identity; the sidecar does not loop its own traffic, probes from the node bypass it,
 * and a killed sidecar leaves the pod's traffic refused, never in clear.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespacedSidecarTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: demo, labels: {istio.io/dataplane-mode: ambient}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: side}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: amb, namespace: demo}
            spec: {serviceAccountName: amb, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: side, namespace: side, labels: {sidecar.istio.io/inject: "true"}}
            spec: {serviceAccountName: side, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            """;
    private static final int APP_PORT = 8080;
    private static final byte[] MARKER = "SIDECAR-PLAINTEXT-MARKER-".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSidecarPodAndAnAmbientPodTalkBothWaysThroughHbone() throws Exception {
        try (LocalMesh local = LocalMesh.start(MESH, "s")) {
            LocalCluster cluster = local.cluster;
            ClusterSpec spec = local.spec;
            Path dir = local.dir;
            MeshProcesses mesh1 = local.processes;
            try (NetNamespace ambPod = cluster.openPod("demo", "amb");
                    NetNamespace sidePod = cluster.openPod("side", "side");
                    EchoApp ambApp = EchoApp.start(cluster.openPod("demo", "amb"), APP_PORT);
                    EchoApp sideApp = EchoApp.start(cluster.openPod("side", "side"), APP_PORT)) {
                NodeProcess a = mesh1.agents().get("node-a");
                NodeProcess sidecar = mesh1.sidecars().get("side/side");
                Thread.sleep(1500); // the agents' first enrolment pass
                InetSocketAddress toSide = new InetSocketAddress(spec.pod("side", "side").ip(), APP_PORT);
                InetSocketAddress toAmb = new InetSocketAddress(spec.pod("demo", "amb").ip(), APP_PORT);

                // ambient → sidecar: node-a captures, tunnels to the pod's own 15008, the sidecar delivers.
                assertArrayEquals(payload(4096), PodConnections.roundTrip(ambPod, toSide, payload(4096)));
                assertEquals(InetAddress.getByName(SidecarMain.DELIVERY_SOURCE), sideApp.lastClient(),
                        "the sidecar delivers from 127.0.0.6");
                String sideMetrics = sidecar.get(15020, "/metrics");
                assertTrue(hasConnection(sideMetrics, "destination", "demo/sa/amb", "side/sa/side"), sideMetrics);

                // sidecar → ambient: iptables sends the app's connect to the sidecar, which tunnels it.
                PacketCapture wire = PacketCapture.start(cluster.nodeNamespace("node-b"), "eth0", dir.resolve("b.pcap"));
                assertArrayEquals(payload(4096), PodConnections.roundTrip(sidePod, toAmb, payload(4096)));
                PacketCapture.Summary link = wire.stop(APP_PORT, MARKER);
                assertFalse(link.markerInClear(), "the sidecar pod's bytes left its node in clear");
                assertEquals(0, link.appPortPackets(), link.text());
                assertEquals(spec.pod("side", "side").ip(), ambApp.lastClient(), "node-a delivers from the caller");
                String aMetrics = a.get(15020, "/metrics");
                assertTrue(hasConnection(aMetrics, "destination", "side/sa/side", "demo/sa/amb"), aMetrics);
                String sideAfter = sidecar.get(15020, "/metrics");
                assertEquals(1, opened(sideAfter, "source"), "one outbound connection: the sidecar never looped "
                        + "its own traffic back into itself\n" + sideAfter);

                // A probe from the node reaches the app directly.
                long inboundBefore = opened(sideAfter, "destination");
                try (NetNamespace nodeB = cluster.openNode("node-b")) {
                    assertArrayEquals(payload(16), PodConnections.roundTrip(nodeB, toSide, payload(16)));
                }
                assertEquals(InetAddress.getByName(LocalCluster.GATEWAY), sideApp.lastClient());
                assertEquals(inboundBefore, opened(sidecar.get(15020, "/metrics"), "destination"), "probe not proxied");

                // With the sidecar gone, the pod's outbound traffic is refused, not sent in clear.
                sidecar.kill();
                wire = PacketCapture.start(cluster.nodeNamespace("node-b"), "eth0", dir.resolve("killed.pcap"));
                int calls = ambApp.calls();
                boolean failed;
                try {
                    failed = PodConnections.roundTrip(sidePod, toAmb, payload(1024)).length == 0;
                } catch (Exception expected) {
                    failed = true;
                }
                assertTrue(failed, "a pod whose sidecar is dead must not reach anything");
                link = wire.stop(APP_PORT, MARKER);
                assertFalse(link.markerInClear());
                assertEquals(0, link.appPortPackets(), link.text());
                assertEquals(calls, ambApp.calls());
            }
        }
    }

    private static boolean hasConnection(String metrics, String reporter, String source, String destination) {
        return metrics.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_opened_total")
                && l.contains("reporter=\"" + reporter + "\"")
                && l.contains("source_principal=\"spiffe://cluster.local/ns/" + source + "\"")
                && l.contains("destination_principal=\"spiffe://cluster.local/ns/" + destination + "\"")
                && l.contains("connection_security_policy=\"mutual_tls\""));
    }

    private static long opened(String metrics, String reporter) {
        return metrics.lines().filter(l -> l.startsWith("istio_tcp_connections_opened_total")
                && l.contains("reporter=\"" + reporter + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static byte[] payload(int size) {
        return PodConnections.payload(MARKER, size);
    }
}

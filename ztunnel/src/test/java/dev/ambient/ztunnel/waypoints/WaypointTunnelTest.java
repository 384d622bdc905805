package dev.ambient.ztunnel.waypoints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.socks.Socks5Client;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.testing.NettyLeakCheck;
import dev.ambient.ztunnel.testing.Streams;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three processes' worth of ztunnel on loopback: the client's node tunnels a call for a service
 * that uses a waypoint to the waypoint's pod, the waypoint's proxy tunnels it on to the server's
 * node under its own identity, and the server's node sees the waypoint as the caller. Without the
 * waypoint the call fails; it never goes around it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(NettyLeakCheck.class)
class WaypointTunnelTest {

    private static final InetSocketAddress L7_SERVICE = new InetSocketAddress(ip("10.96.0.11"), 80);

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String extra(int appPort) {
        return LoopbackMesh.WAYPOINT_YAML + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: server-l7, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec:
                  clusterIP: 10.96.0.11
                  selector: {app: server}
                  ports: [{name: http, port: 80, targetPort: %d}]
                """.formatted(appPort);
    }

    @Test
    void serviceTrafficPassesThroughTheWaypointAndNeverAroundIt() throws Exception {
        try (LoopbackMesh mesh = LoopbackMesh.start("")) {
            mesh.rewrite(extra(mesh.echo.port()));
            try (Ztunnel waypoint = Ztunnel.start(mesh.waypointConfig(), mesh.ca, mesh.ca.bundle())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!waypoint.ready() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(waypoint.ready(), "the waypoint has its certificate");
                try (Socket s = mesh.connect(L7_SERVICE)) {
                    Streams.Digests d = Streams.echoRoundTrip(s, 256 * 1024, 7);
                    assertArrayEquals(d.sentDigest(), d.receivedDigest());
                    assertEquals(256 * 1024, d.received());
                }
                assertTrue(mesh.nodeB.registry().scrape().lines().anyMatch(l ->
                        l.startsWith("istio_tcp_connections_opened_total") && l.contains("reporter=\"destination\"")
                        && l.contains("source_principal=\"spiffe://cluster.local/ns/demo/sa/wp\"")),
                        "the server's node saw the waypoint as the caller");
            }
            Socks5Client.Refused refused = assertThrows(Socks5Client.Refused.class, () -> mesh.connect(L7_SERVICE));
            assertTrue(refused.code != 0, "with the waypoint gone the call fails rather than skipping it");
        }
    }
}

package dev.ambient.ztunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.socks.Socks5Client;
import dev.ambient.ztunnel.testing.EchoServer;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A destination node that presents a valid certificate, from the right CA, but for the wrong
 * identity: the client node must give up before a single application byte is sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerIdentityCheckTest {

    @Test
    void aValidCertificateForTheWrongServiceAccountIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("impostor");
        EmbeddedCa ca = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
        try (EchoServer app = new EchoServer(LoopbackMesh.SERVER_IP)) {
            // node-a believes the server pod runs as sa/server; node-b serves it as sa/impostor.
            Path truth = dir.resolve("truth.yaml");
            Path lie = dir.resolve("lie.yaml");
            Files.writeString(truth, LoopbackMesh.meshYaml(app.port(), ""));
            Files.writeString(lie, LoopbackMesh.meshYaml(app.port(), "").replace("serviceAccountName: server",
                    "serviceAccountName: impostor"));
            int hbone = LoopbackMesh.freePort();
            try (Ztunnel a = LoopbackMesh.startNode("node-a", LoopbackMesh.CLIENT_IP, hbone, truth, dir, ca, ca.bundle());
                    Ztunnel b = LoopbackMesh.startNode("node-b", LoopbackMesh.SERVER_IP, hbone, lie, dir, ca, ca.bundle())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!(a.ready() && b.ready()) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Socks5Client.Refused refused = assertThrows(Socks5Client.Refused.class, () -> Socks5Client.connect(
                        LoopbackMesh.CLIENT_IP, a.socks5Address(), new InetSocketAddress(LoopbackMesh.SERVER_IP,
                                app.port())));
                assertEquals(5, refused.code);
                assertEquals(0, app.accepted(), "not one byte may reach a server the client did not mean to reach");
                assertTrue(a.registry().scrape().lines().anyMatch(l -> l.startsWith("istio_tcp_connections_closed_total")
                        && l.contains("reporter=\"source\"") && l.contains("response_flags=\"CONNECT\"")),
                        "the source counts the failed tunnel");
            }
        }
    }
}

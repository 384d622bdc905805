package dev.ambient.ztunnel.hbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SpiffeTrustManager;
import dev.ambient.ztunnel.identity.SvidVerifier;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.tls.TlsContexts;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The HBONE server's answers to requests a correct client never sends, from a client holding a
 * valid SVID: each is refused on its own stream, with Istio's status, and the pooled connection
 * stays up for the next stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HboneServerTest {

    private LoopbackMesh mesh;
    private RawHboneClient client;
    private String server;

    @BeforeAll
    void start() throws Exception {
        mesh = LoopbackMesh.start("");
        SpiffeId clientId = SpiffeId.of("cluster.local", "demo", "client");
        WorkloadCertificate cert = mesh.nodeA.certificates().certificate(clientId).get(10, TimeUnit.SECONDS);
        TlsContexts tls = new TlsContexts(new SpiffeTrustManager(new SvidVerifier(mesh.ca.bundle(),
                Set.of("cluster.local"), Clock.systemUTC())));
        client = new RawHboneClient(tls.client(cert), mesh.nodeB.hboneAddress());
        server = LoopbackMesh.SERVER_IP.getHostAddress();
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        mesh.close();
    }

    @Test
    void aMethodOtherThanConnectIs400() throws Exception {
        Http2Headers get = new DefaultHttp2Headers().method("GET").scheme("https").path("/")
                .authority(server + ":" + mesh.echo.port());
        assertEquals("HEADERS 400 END", client.send(get, true).status());
        assertTrue(client.connectionOpen(), "one bad stream must not take the pooled connection down");
    }

    @Test
    void anAuthorityThatIsNotAnIpAndPortIs400() throws Exception {
        assertEquals("HEADERS 400 END", client.send(connect("server.demo:80"), false).status());
        assertEquals("HEADERS 400 END", client.send(connect(server), false).status());
    }

    @Test
    void anAuthorityOtherThanTheTunnelsDestinationIs400() throws Exception {
        int before = mesh.echo.accepted();
        assertEquals("HEADERS 400 END", client.send(connect("127.0.0.2:" + mesh.echo.port()), false).status());
        assertEquals(before, mesh.echo.accepted());
    }

    @Test
    void anUnreachableWorkloadPortIs503() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(LoopbackMesh.SERVER_IP, 0));
            closedPort = probe.getLocalPort();
        }
        assertEquals("HEADERS 503 END", client.send(connect(server + ":" + closedPort), false).status());
    }

    @Test
    void connectWithEndStreamIsAHalfCloseNotAnError() throws Exception {
        // The echo app sees end of input at once, answers nothing and closes: a clean end, no reset.
        RawHboneClient.Exchange exchange = client.send(connect(server + ":" + mesh.echo.port()), true);
        assertEquals(List.of("HEADERS 200", "DATA 0 END"), exchange.frames());
    }

    @Test
    void aPolicyDenyIs401() throws Exception {
        mesh.rewrite("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-nobody, namespace: demo}
                spec: {action: ALLOW}
                """);
        try {
            int before = mesh.echo.accepted();
            assertEquals("HEADERS 401 END", client.send(connect(server + ":" + mesh.echo.port()), false).status());
            assertEquals(before, mesh.echo.accepted(), "a denied CONNECT dials nothing");
        } finally {
            mesh.rewrite("");
        }
    }

    private static Http2Headers connect(String authority) {
        return new DefaultHttp2Headers().method("CONNECT").authority(authority);
    }
}

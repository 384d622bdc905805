package dev.ambient.ztunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.TrustBundle;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.socks.Socks5Client;
import dev.ambient.ztunnel.testing.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two ztunnels in one JVM: client → SOCKS5 (node-a) → HBONE → node-b → echo app, and back. Every
 * test asserts what a workload relies on: exact bytes, half-close, concurrency over the pool, policy
 * enforced before any dial, no plaintext accepted on HBONE, drain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZtunnelInProcessTest {

    private static final String DENY_CLIENT = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: deny-client
              namespace: demo
            spec:
              action: DENY
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/demo/sa/client"]
            """;

    private LoopbackMesh mesh;

    @BeforeAll
    void start() throws IOException {
        mesh = LoopbackMesh.start("");
    }

    @AfterAll
    void stop() throws IOException {
        mesh.close();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 1024 * 1024, 100 * 1024 * 1024})
    void bytesMatchExactlyBothWays(int size) throws Exception {
        try (Socket socket = mesh.connectToServer()) {
            Streams.Digests digests = Streams.echoRoundTrip(socket, size, 42L + size);
            assertEquals(size, digests.received(), "bytes echoed back");
            assertArrayEquals(digests.sentDigest(), digests.receivedDigest(), "echoed bytes differ from sent bytes");
        }
    }

    @Test
    void serviceVipReachesItsEndpoint() throws Exception {
        try (Socket socket = mesh.connect(new InetSocketAddress(LoopbackMesh.SERVICE_VIP, 80))) {
            Streams.Digests digests = Streams.echoRoundTrip(socket, 4096, 7);
            assertArrayEquals(digests.sentDigest(), digests.receivedDigest());
        }
    }

    @Test
    void clientHalfCloseIsCarried() throws Exception {
        try (Socket socket = mesh.connectToServer()) {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            // The echo app answers and closes only after it saw our FIN through the tunnel.
            assertEquals("hello", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void serverHalfCloseIsCarried() throws Exception {
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (ServerSocket greeter = new ServerSocket()) {
            greeter.bind(new InetSocketAddress(LoopbackMesh.SERVER_IP, 0));
            Thread.ofVirtual().start(() -> {
                try (Socket s = greeter.accept()) {
                    s.getOutputStream().write("greeting".getBytes(StandardCharsets.UTF_8));
                    s.shutdownOutput();
                    serverGot.complete(s.getInputStream().readAllBytes());
                } catch (IOException e) {
                    serverGot.completeExceptionally(e);
                }
            });
            try (Socket socket = mesh.connect(new InetSocketAddress(LoopbackMesh.SERVER_IP, greeter.getLocalPort()))) {
                // Read to EOF first: the server's FIN arrives while our direction is still open.
                assertEquals("greeting", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                socket.getOutputStream().write("after-eof".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
                assertEquals("after-eof", new String(serverGot.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void twoHundredConcurrentStreamsShareThePool() throws Exception {
        int streams = 200;
        CyclicBarrier allOpen = new CyclicBarrier(streams + 1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    try (Socket socket = mesh.connectToServer()) {
                        allOpen.await(60, TimeUnit.SECONDS);
                        Streams.Digests d = Streams.echoRoundTrip(socket, 1024, seed);
                        return java.util.Arrays.equals(d.sentDigest(), d.receivedDigest());
                    }
                }));
            }
            allOpen.await(60, TimeUnit.SECONDS);
            // The pool's bookkeeping runs on its event loops; give the last reservation a moment to land.
            List<HbonePool.Stats> stats = mesh.nodeA.pool().stats();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((stats.size() != 1 || stats.get(0).streams() != streams) && System.nanoTime() < deadline) {
                Thread.sleep(10);
                stats = mesh.nodeA.pool().stats();
            }
            assertEquals(1, stats.size(), "one pool key: one source, one destination: " + stats);
            List<Integer> perConnection = stats.get(0).streamsPerConnection();
            assertEquals(streams, stats.get(0).streams(), "streams reserved on the pool while all are open: " + stats);
            assertTrue(perConnection.stream().allMatch(n -> n <= 100), "at most 100 streams per connection: " + stats);
            // Two event loops, each with its own connections: 200 streams need 2, or 3 when the loops
            // got an uneven share of the clients.
            assertTrue(perConnection.size() == 2 || perConnection.size() == 3, "connections: " + stats);
            for (Future<Boolean> r : results) {
                assertTrue(r.get(60, TimeUnit.SECONDS), "a stream's bytes were corrupted");
            }
        }
    }

    @Test
    void policyDenyAnswers401AndDialsNothing() throws Exception {
        mesh.rewrite(DENY_CLIENT);
        try {
            int before = mesh.echo.accepted();
            Socks5Client.Refused refused = assertThrows(Socks5Client.Refused.class, () -> mesh.connectToServer());
            assertEquals(2, refused.code, "SOCKS5 'not allowed by ruleset' for an HBONE 401");
            assertEquals(before, mesh.echo.accepted(), "a denied connection must not reach the app");
            String metrics = mesh.nodeB.registry().scrape();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("istio_tcp_connections_closed_total")
                    && l.contains("response_flags=\"DENY\"") && l.contains("reporter=\"destination\"")
                    && l.contains("source_principal=\"spiffe://cluster.local/ns/demo/sa/client\"")),
                    "the destination counts the denied connection:\n" + metrics);
        } finally {
            mesh.rewrite("");
        }
    }

    @Test
    void aChangedPolicyClosesALiveConnection() throws Exception {
        try (Socket socket = mesh.connectToServer()) {
            socket.getOutputStream().write(1);
            assertEquals(1, socket.getInputStream().read());
            mesh.rewrite(DENY_CLIENT);
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertEquals(-1, read, "the live connection must be closed once policy denies it");
        } finally {
            mesh.rewrite("");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"})
    void plaintextToHboneFailsAndDialsNothing(String request) throws Exception {
        int before = mesh.echo.accepted();
        try (Socket raw = new Socket()) {
            raw.connect(mesh.nodeB.hboneAddress(), 5_000);
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] answer;
            try {
                answer = raw.getInputStream().readAllBytes();
            } catch (SocketException reset) {
                answer = new byte[0];
            }
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertTrue(!text.contains("200") && !text.startsWith("HTTP/"), "no HTTP answer in clear: " + text);
        }
        assertEquals(before, mesh.echo.accepted(), "plaintext on HBONE must not reach the app");
    }

    @Test
    void aPeerWithACertificateFromAnotherRootIsRefused() throws Exception {
        EmbeddedCa rogue = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
        // The rogue node trusts the real root (so it accepts node-b's certificate), but its own
        // certificates come from another root: node-b must refuse it.
        TrustBundle both = TrustBundle.of("cluster.local", List.of(mesh.ca.root(), rogue.root()));
        int before = mesh.echo.accepted();
        try (Ztunnel rogueNode = LoopbackMesh.startNode("node-a", InetAddress.getByName("127.0.0.4"), mesh.hbonePort,
                mesh.meshFile, mesh.dir, rogue, both)) {
            await(rogueNode::ready);
            Socks5Client.Refused refused = assertThrows(Socks5Client.Refused.class, () -> Socks5Client.connect(
                    LoopbackMesh.CLIENT_IP, rogueNode.socks5Address(),
                    new InetSocketAddress(LoopbackMesh.SERVER_IP, mesh.echo.port())));
            assertEquals(5, refused.code, "the tunnel fails: 'connection refused'");
        }
        assertEquals(before, mesh.echo.accepted(), "a refused peer must not reach the app");
    }

    @Test
    void drainLetsALiveStreamFinish() throws Exception {
        try (LoopbackMesh own = LoopbackMesh.start("");
                Socket socket = own.connectToServer()) {
            socket.getOutputStream().write(7);
            assertEquals(7, socket.getInputStream().read());
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(
                    () -> own.nodeB.drain(Duration.ofSeconds(20)));
            Thread.sleep(300);
            assertTrue(!drained.isDone(), "drain must wait for the live stream");
            Streams.Digests d = Streams.echoRoundTrip(socket, 64 * 1024, 3);
            assertArrayEquals(d.sentDigest(), d.receivedDigest(), "the live stream keeps working while draining");
            assertTrue(drained.get(10, TimeUnit.SECONDS), "drain finishes once the stream ended");
            assertThrows(IOException.class, own::connectToServer, "a draining node takes no new tunnels");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20s");
            }
            Thread.sleep(20);
        }
    }
}

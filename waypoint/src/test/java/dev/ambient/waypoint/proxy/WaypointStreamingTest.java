package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ambient.waypoint.testing.WaypointHarness;
import dev.ambient.ztunnel.testing.Http1Client;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.testing.NettyLeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the waypoint does with bodies and connections on the real tunnel path: uploads and downloads
 * larger than any buffer stream through (and an upload past the retry cap is reported), a
 * DestinationRule's request limit answers the excess 503 at once, and ports that declare no protocol
 * are detected: HTTP is served at L7, anything else passes as TCP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NettyLeakCheck.class)
class WaypointStreamingTest {

    private static final int BIG = 3 << 20;
    /** Every connection the backend was called on. */
    private static final java.util.Set<String> PEERS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static HttpServer backend;
    private static ServerSocket upgrading;
    private static WaypointHarness harness;

    /** Counts what it is sent; /big answers 4 MiB, /slow answers after 1.5 s. */
    private static HttpServer backend() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(LoopbackMesh.SERVER_IP, 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        s.createContext("/", x -> {
            PEERS.add(x.getRemoteAddress().toString());
            long received = x.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            String path = x.getRequestURI().getPath();
            if (path.equals("/slow")) {
                sleep(1500);
            }
            byte[] body = path.equals("/big") ? new byte[4 << 20]
                    : ("len=" + received + " traceparent=" + x.getRequestHeaders().getFirst("traceparent"))
                            .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        s.start();
        return s;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers an upgrade to "echo" with 101, then echoes bytes, prefixed by a greeting sent at once. */
    private static ServerSocket upgradingBackend() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LoopbackMesh.SERVER_IP);
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    String head = new String(readHead(s.getInputStream()), StandardCharsets.US_ASCII).toLowerCase();
                    boolean asked = head.contains("\r\nupgrade: echo\r\n") && head.contains("connection: upgrade");
                    s.getOutputStream().write((asked
                            ? "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nhello "
                            : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException e) {
                    // the next connection
                }
            }
        });
        return server;
    }

    private static byte[] readHead(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early");
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    @BeforeAll
    static void start() throws Exception {
        backend = backend();
        upgrading = upgradingBackend();
        int port = backend.getAddress().getPort();
        harness = WaypointHarness.start("""
                apiVersion: v1
                kind: Service
                metadata: {name: upload, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.51, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: upload, namespace: demo}
                spec:
                  parentRefs: [{group: "", kind: Service, name: upload}]
                  rules: [{backendRefs: [{name: upload, port: 80}], retry: {attempts: 2, codes: [503]}}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: narrow, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.52, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: narrow, namespace: demo}
                spec: {host: narrow, trafficPolicy: {connectionPool: {http: {http2MaxRequests: 1}}}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: auto, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.53, selector: {app: server}, ports: [{name: web, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: raw, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.54, selector: {app: server}, ports: [{port: 7000, targetPort: ECHO_PORT}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: socket, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.55, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %2$d}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: brief, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.56, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: brief, namespace: demo}
                spec: {host: brief, trafficPolicy: {connectionPool: {http: {idleTimeout: 300ms}}}}
                """.formatted(port, upgrading.getLocalPort()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (harness != null) {
            harness.close();
        }
        backend.stop(0);
        upgrading.close();
    }

    @Test
    void anUpgradedConnectionIsSplicedThroughTheWaypoint() throws Exception {
        try (Socket s = connect("10.96.0.55", 80)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: socket\r\nUpgrade: echo\r\nConnection: Upgrade\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = new String(readHead(s.getInputStream()), StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.toLowerCase().contains("upgrade: echo"), head);
            assertEquals("hello ", new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII),
                    "bytes the backend sent right after its 101 arrive");
            byte[] big = new byte[256 * 1024];
            new java.util.Random(7).nextBytes(big);
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(big);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(big, s.getInputStream().readNBytes(big.length), "256 KiB echoed both ways, in order");
            send.get(10, TimeUnit.SECONDS);
        }
        assertTrue(harness.waypoint.registry().scrape().contains("response_code=\"101\""), "the upgrade is counted");
    }

    private static Socket connect(String vip, int port) throws IOException {
        return harness.mesh.connect(new InetSocketAddress(InetAddress.getByName(vip), port));
    }

    @Test
    void bodiesLargerThanAnyBufferStreamBothWays() throws Exception {
        try (Socket s = connect("10.96.0.51", 80)) {
            Http1Client http = new Http1Client(s);
            Http1Client.Response up = http.send("POST", "/upload", "upload", Map.of(), "x".repeat(BIG));
            assertEquals(200, up.status(), up.body());
            assertTrue(up.body().startsWith("len=" + BIG + " "), "every byte arrives: " + up.body());
            Http1Client.Response down = http.send("GET", "/big", "upload", Map.of(), "");
            assertEquals(200, down.status());
            assertEquals(4 << 20, down.body().length(), "the whole download arrives on the same connection");
        }
        assertTrue(harness.waypoint.registry().scrape().lines().anyMatch(l ->
                l.startsWith("waypoint_retry_buffer_overflow_total{") && l.contains("upload.demo") && l.endsWith(" 1.0")),
                "a body past the retry cap is reported");
    }

    @Test
    void requestsBeyondTheBackendsLimitAreRefusedAtOnce() throws Exception {
        try (Socket slow = connect("10.96.0.52", 80); Socket other = connect("10.96.0.52", 80)) {
            CompletableFuture<Http1Client.Response> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Http1Client(slow).send("GET", "/slow", "narrow", Map.of(), "");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sleep(500);
            Http1Client.Response refused = new Http1Client(other).send("GET", "/", "narrow", Map.of(), "");
            assertEquals(503, refused.status(), refused.body());
            assertEquals("true", refused.headers().get("x-envoy-overloaded"), refused.headers().toString());
            assertEquals(200, first.get(10, TimeUnit.SECONDS).status(), "the request within the limit is served");
            assertEquals(200, new Http1Client(other).send("GET", "/", "narrow", Map.of(), "").status(),
                    "once it is done there is room again");
        }
        String metrics = harness.waypoint.registry().scrape();
        assertTrue(metrics.contains("response_flags=\"UO\""));
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("waypoint_upstream_overflow_total{")
                && l.contains("narrow.demo") && l.contains("limit=\"requests\"") && l.endsWith(" 1.0")),
                "the breaker counts what its request limit refused");
        String dump = harness.waypoint.configDump();
        assertTrue(dump.contains("narrow.demo.svc.cluster.local") && dump.replace(" ", "").contains("\"maxRequests\":1,"),
                "config_dump shows the DestinationRule's limits: " + dump);
    }

    @Test
    void anIdleUpstreamConnectionClosesAfterTheDestinationRulesIdleTimeout() throws Exception {
        try (Socket client = connect("10.96.0.56", 80)) {
            Http1Client http = new Http1Client(client);
            assertEquals(200, http.send("GET", "/first", "brief", Map.of(), "").status());
            assertEquals(1, UpstreamGauge.connections(harness.waypoint, "brief.demo"), "kept alive after the request");
            assertTrue(UpstreamGauge.awaitConnections(harness.waypoint, "brief.demo", 0, Duration.ofSeconds(10)),
                    "closed after 300ms without a request: " + UpstreamGauge.connections(harness.waypoint, "brief.demo"));
            assertEquals(200, http.send("GET", "/again", "brief", Map.of(), "").status(),
                    "the next request opens a new one");
        }
        assertTrue(harness.waypoint.configDump().replace(" ", "").contains("\"idleTimeout\":\"PT0.3S\""),
                "config_dump shows the idle timeout");
    }

    @Test
    void sequentialRequestsShareOnePooledUpstreamConnection() throws Exception {
        PEERS.clear();
        try (Socket a = connect("10.96.0.53", 80); Socket b = connect("10.96.0.53", 80)) {
            Http1Client first = new Http1Client(a);
            Http1Client second = new Http1Client(b);
            for (int i = 0; i < 50; i++) {
                assertEquals(200, first.send("GET", "/pooled", "auto", Map.of(), "").status());
                assertEquals(200, second.send("GET", "/pooled", "auto", Map.of(), "").status());
            }
        }
        assertTrue(PEERS.size() <= 2, "100 requests from two client connections reach the backend over at most one "
                + "kept-alive connection per event loop, not one each: " + PEERS);
    }

    @Test
    void undeclaredPortsAreDetected() throws Exception {
        try (Socket s = connect("10.96.0.53", 80)) {
            Http1Client.Response r = new Http1Client(s).send("GET", "/", "auto", Map.of(), "");
            assertEquals(200, r.status());
            assertTrue(r.body().matches("len=0 traceparent=00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"),
                    "detected as HTTP, so the waypoint started a trace: " + r.body());
        }
        try (Socket s = connect("10.96.0.54", 7000)) {
            byte[] hello = {0, 1, 2, 3, 'p', 'i', 'n', 'g'};
            s.getOutputStream().write(hello);
            byte[] back = new InputStreamReader(s.getInputStream()).readExactly(hello.length);
            assertArrayEquals(hello, back, "bytes that are not HTTP pass through as TCP");
        }
    }

    /** Reads exactly n bytes or fails. */
    private record InputStreamReader(InputStream in) {
        byte[] readExactly(int n) throws IOException {
            byte[] out = in.readNBytes(n);
            assertEquals(n, out.length, "the stream ended early");
            return out;
        }
    }
}

package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ambient.waypoint.testing.WaypointHarness;
import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.testing.Http1Client;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.testing.NettyLeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The waypoint's HTTP layer on the real tunnel path (client node, waypoint, server node on
 * loopback): a 90/10 HTTPRoute split, a DENY on POST /admin for every spelling, a route timeout,
 * trace headers at the backend, keep-alive across requests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NettyLeakCheck.class)
class HttpWaypointTest {

    private static final InetSocketAddress WEB = new InetSocketAddress(ip("10.96.0.21"), 80);
    private static WaypointHarness harness;
    private static LoopbackMesh mesh;
    private static Ztunnel waypoint;
    private static HttpServer v1;
    private static HttpServer v2;
    private static final java.util.concurrent.atomic.AtomicInteger FLAKY = new java.util.concurrent.atomic.AtomicInteger();

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A backend that names itself and echoes what the waypoint sent it; /slow... answers after 2 s. */
    private static HttpServer backend(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(LoopbackMesh.SERVER_IP, 0), 0);
        s.createContext("/", x -> {
            if (x.getRequestURI().getPath().startsWith("/flaky") && FLAKY.incrementAndGet() % 2 == 1) {
                x.sendResponseHeaders(503, -1); // every other call fails
                x.close();
                return;
            }
            if (x.getRequestURI().getPath().startsWith("/slow")) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = name + " " + x.getRequestMethod() + " " + x.getRequestURI() + " traceparent="
                    + x.getRequestHeaders().getFirst("traceparent") + " x-request-id="
                    + x.getRequestHeaders().getFirst("x-request-id") + " x-route="
                    + x.getRequestHeaders().getFirst("x-route");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        });
        s.start();
        return s;
    }

    private static String extra(int v1Port, int v2Port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.21, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-v1, namespace: demo}
                spec: {clusterIP: 10.96.0.22, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-v2, namespace: demo}
                spec: {clusterIP: 10.96.0.23, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %2$d}]}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: demo}
                spec:
                  parentRefs: [{group: "", kind: Service, name: web}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /}}]
                    backendRefs: [{name: web-v1, port: 80, weight: 90}, {name: web-v2, port: 80, weight: 10}]
                  - matches: [{path: {type: Exact, value: /slow-attempts}}]
                    backendRefs: [{name: web-v1, port: 80}]
                    timeouts: {request: 1500ms, backendRequest: 200ms}
                    retry: {attempts: 2, codes: [503], backoff: 10ms}
                  - matches: [{path: {type: Exact, value: /slow}}]
                    backendRefs: [{name: web-v1, port: 80}]
                    timeouts: {request: 300ms}
                  - matches: [{path: {type: Exact, value: /flaky}}]
                    backendRefs: [{name: web-v1, port: 80}]
                    retry: {attempts: 2, codes: [503], backoff: 10ms}
                  - matches: [{path: {type: Exact, value: /flaky-once}}]
                    backendRefs: [{name: web-v1, port: 80}]
                  - matches: [{headers: [{name: x-canary, value: "yes"}]}]
                    filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-route, value: canary}]}}]
                    backendRefs: [{name: web-v2, port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: limited, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: 10.96.0.24, selector: {app: server}, ports: [{name: http-api, port: 80, targetPort: %1$d}]}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: limited
                  namespace: demo
                  annotations: {waypoint.ambient.dev/requests-per-second: "0.2", waypoint.ambient.dev/burst: "2"}
                spec:
                  parentRefs: [{group: "", kind: Service, name: limited}]
                  rules: [{backendRefs: [{name: limited, port: 80}]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: no-admin-writes, namespace: demo}
                spec:
                  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
                  action: DENY
                  rules: [{to: [{operation: {methods: [POST], paths: [/admin, /admin/*]}}]}]
                """.formatted(v1Port, v2Port);
    }

    @BeforeAll
    static void start() throws Exception {
        v1 = backend("v1");
        v2 = backend("v2");
        harness = WaypointHarness.start(extra(v1.getAddress().getPort(), v2.getAddress().getPort()));
        mesh = harness.mesh;
        waypoint = harness.waypoint;
    }

    @AfterAll
    static void stop() throws IOException {
        if (harness != null) {
            harness.close();
        }
        v1.stop(0);
        v2.stop(0);
    }

    private static Http1Client client(Socket s) throws IOException {
        return new Http1Client(s);
    }

    @Test
    void aNinetyTenSplitOverOneKeepAliveConnection() throws Exception {
        int toV2 = 0;
        try (Socket s = mesh.connect(WEB)) {
            Http1Client http = client(s);
            for (int i = 0; i < 400; i++) {
                Http1Client.Response r = http.send("GET", "/items", "web.demo.svc.cluster.local", Map.of(), "");
                assertEquals(200, r.status(), "request " + i + ": " + r.body() + " " + r.headers());
                toV2 += r.body().startsWith("v2 ") ? 1 : 0;
            }
        }
        assertTrue(toV2 >= 20 && toV2 <= 60, "10% of 400 (±5 points) to v2: " + toV2);
    }

    @Test
    void postToAdminIsDeniedInEverySpellingAndGetPasses() throws Exception {
        try (Socket s = mesh.connect(WEB)) {
            Http1Client http = client(s);
            for (String path : new String[] {"/admin", "//admin", "/admin/../admin", "/%2Fadmin", "/%61dmin", "/admin/x"}) {
                assertEquals(403, http.send("POST", path, "WEB.demo.svc.cluster.local:80", Map.of(), "x").status(), path);
            }
            assertEquals(200, http.send("GET", "/admin", "web", Map.of(), "").status());
            assertEquals(400, http.send("GET", "admin", "web", Map.of(), "").status(), "not in origin form");
        }
    }

    @Test
    void traceHeadersArriveAndRouteFiltersApply() throws Exception {
        try (Socket s = mesh.connect(WEB)) {
            Http1Client http = client(s);
            String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            Http1Client.Response r = http.send("GET", "/t", "web",
                    Map.of("traceparent", parent, "x-canary", "yes", "x-ambient-peer", "forged"), "");
            assertTrue(r.body().startsWith("v2 "), r.body());
            assertTrue(r.body().contains("traceparent=" + parent), r.body());
            assertTrue(r.body().contains("x-route=canary"), r.body());
            assertTrue(r.body().matches(".*x-request-id=[0-9a-f-]{36}.*"), "a request id is added: " + r.body());
        }
    }

    @Test
    void aFailedFirstAttemptSucceedsOnRetryOnlyWhereTheRouteRetries() throws Exception {
        try (Socket s = mesh.connect(WEB)) {
            Http1Client http = client(s);
            FLAKY.set(0);
            Http1Client.Response r = http.send("GET", "/flaky", "web", Map.of(), "");
            assertEquals(200, r.status(), r.body());
            assertEquals(2, FLAKY.get(), "the backend answered 503 once, then 200 to the retry");
            FLAKY.set(0);
            assertEquals(503, http.send("POST", "/flaky-once", "web", Map.of(), "body").status(),
                    "no retry policy on this route: the 503 is passed on");
            assertEquals(1, FLAKY.get());
        }
        assertTrue(waypoint.registry().scrape().lines().anyMatch(l -> l.startsWith("waypoint_retries_total{")
                && l.contains("web-v1.demo")), "the retry is counted for its backend");
    }

    @Test
    void aRouteOverItsRateLimitAnswers429WithRetryAfter() throws Exception {
        try (Socket s = mesh.connect(new InetSocketAddress(ip("10.96.0.24"), 80))) {
            Http1Client http = client(s);
            assertEquals(200, http.send("GET", "/", "limited", Map.of(), "").status());
            assertEquals(200, http.send("GET", "/", "limited", Map.of(), "").status());
            Http1Client.Response third = http.send("GET", "/", "limited", Map.of(), "");
            assertEquals(429, third.status(), third.body());
            long after = Long.parseLong(third.headers().get("retry-after"));
            assertTrue(after >= 1 && after <= 5, "one token per 5 s: " + after);
        }
    }

    @Test
    void aSlowBackendHitsTheRouteTimeout() throws Exception {
        try (Socket s = mesh.connect(WEB)) {
            long start = System.nanoTime();
            Http1Client.Response r = client(s).send("GET", "/slow", "web", Map.of(), "");
            assertEquals(504, r.status(), r.body());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1800), "answered before the backend");
        }
        assertTrue(waypoint.registry().scrape().lines().anyMatch(l -> l.startsWith("istio_requests_total")
                && l.contains("response_code=\"504\"")), "counted in Istio's request metric");
    }

    @Test
    void eachAttemptHasItsOwnDeadlineAndATimedOutAttemptIsRetried() throws Exception {
        try (Socket s = mesh.connect(WEB)) {
            long start = System.nanoTime();
            Http1Client.Response r = client(s).send("GET", "/slow-attempts", "web", Map.of(), "");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(504, r.status(), r.body());
            assertTrue(r.body().contains("per-try timeout"), r.body());
            assertTrue(millis >= 600 && millis < 1400, "three attempts of 200 ms each, not the 1.5 s deadline: " + millis);
        }
    }

    @Test
    void configDumpShowsTheWaypointsRoutesAndPolicies() {
        String dump = waypoint.configDump();
        assertTrue(dump.contains("\"waypointPolicies\"") && dump.contains("demo/no-admin-writes"), dump);
        assertTrue(dump.contains("\"web.demo.svc.cluster.local\"") && dump.contains("demo/web#0"), dump);
        assertTrue(dump.contains("\"weight\" : 90") || dump.contains("\"weight\":90"), dump);
    }
}

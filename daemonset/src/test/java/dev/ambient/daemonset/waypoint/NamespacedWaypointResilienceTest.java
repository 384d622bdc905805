package dev.ambient.daemonset.waypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ambient.daemonset.cluster.LocalMesh;
import dev.ambient.sys.NetNamespace;
import dev.ambient.waypoint.testing.EchoGrpc;
import dev.ambient.ztunnel.testing.Http1Client;
import dev.ambient.ztunnel.testing.SocketRelay;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The waypoint's resilience features between real pods, every call captured by eBPF on the client's
 * node: a request whose first attempt gets 503 succeeds on retry, a slow backend hits the route
 * timeout (504), a route over its rate limit answers 429, a pod that keeps failing is ejected and
 * traffic goes to the healthy one, gRPC unary and server-streaming calls pass, and a namespace
 * without the waypoint label is not routed through it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NamespacedWaypointResilienceTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: other, labels: {istio.io/dataplane-mode: ambient}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: wp, namespace: shop}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: wp-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: wp}}
            spec: {serviceAccountName: wp, nodeName: node-b}
            status: {podIP: 10.240.2.9}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop}
            spec: {serviceAccountName: client, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web}}
            spec: {serviceAccountName: web, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pool-good, namespace: shop, labels: {app: pool}}
            spec: {serviceAccountName: pool, nodeName: node-b}
            status: {podIP: 10.240.2.4}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pool-bad, namespace: shop, labels: {app: pool}}
            spec: {serviceAccountName: pool, nodeName: node-b}
            status: {podIP: 10.240.2.5}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: grpc-1, namespace: shop, labels: {app: grpc}}
            spec: {serviceAccountName: grpc, nodeName: node-b}
            status: {podIP: 10.240.2.6}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: plain-1, namespace: other, labels: {app: plain}}
            spec: {serviceAccountName: plain, nodeName: node-b}
            status: {podIP: 10.240.2.7}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: pool, namespace: shop}
            spec: {clusterIP: 10.96.0.13, selector: {app: pool}, ports: [{name: http, port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: grpc, namespace: shop}
            spec: {clusterIP: 10.96.0.14, selector: {app: grpc}, ports: [{name: grpc, port: 50051, targetPort: 50051}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: plain, namespace: other}
            spec: {clusterIP: 10.96.0.30, selector: {app: plain}, ports: [{name: http, port: 80, targetPort: 8080}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: web}]
              rules:
              - backendRefs: [{name: web, port: 80}]
              - matches: [{path: {type: Exact, value: /flaky}}]
                backendRefs: [{name: web, port: 80}]
                retry: {attempts: 2, codes: [503], backoff: 10ms}
              - matches: [{path: {type: Exact, value: /slow}}]
                backendRefs: [{name: web, port: 80}]
                timeouts: {request: 300ms}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: web-limited
              namespace: shop
              annotations: {waypoint.ambient.dev/requests-per-second: "0.1", waypoint.ambient.dev/burst: "2"}
            spec:
              parentRefs: [{group: "", kind: Service, name: web}]
              rules: [{matches: [{path: {type: Exact, value: /limited}}], backendRefs: [{name: web, port: 80}]}]
            """;

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    /** An app in a pod: 503 on a request id's first /flaky, /slow after 1.5 s, else its name and the trace context. */
    private static HttpServer app(NetNamespace pod, String ip, String name, int status) throws Exception {
        HttpServer server = pod.call(() -> HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), 8080), 0));
        server.createContext("/", x -> answer(x, name, status));
        server.start();
        return server;
    }

    private static void answer(HttpExchange x, String name, int status) throws IOException {
        String path = x.getRequestURI().getPath();
        int code = status;
        if (path.equals("/flaky") && SEEN.add(String.valueOf(x.getRequestHeaders().getFirst("x-request-id")))) {
            code = 503;
        } else if (path.equals("/slow")) {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = (name + " traceparent=" + x.getRequestHeaders().getFirst("traceparent"))
                .getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(code, body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    @Test
    void retriesTimeoutsLimitsEjectionAndGrpcThroughTheWaypoint() throws Exception {
        List<HttpServer> apps = new ArrayList<>();
        EchoGrpc echo = new EchoGrpc();
        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(echo.service()).build().start();
        try (LocalMesh mesh = LocalMesh.start(MESH, "r");
                NetNamespace client = mesh.cluster.openPod("shop", "client");
                NetNamespace web = mesh.cluster.openPod("shop", "web-1");
                NetNamespace good = mesh.cluster.openPod("shop", "pool-good");
                NetNamespace bad = mesh.cluster.openPod("shop", "pool-bad");
                NetNamespace grpcPod = mesh.cluster.openPod("shop", "grpc-1");
                NetNamespace plain = mesh.cluster.openPod("other", "plain-1");
                SocketRelay grpcInPod = SocketRelay.start(grpcPod.call(() -> new ServerSocket(50051, 50,
                        InetAddress.getByName("10.240.2.6"))), () -> new Socket(InetAddress.getLoopbackAddress(),
                        grpc.getPort()));
                SocketRelay grpcClient = SocketRelay.start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                        () -> client.call(() -> new Socket(InetAddress.getByName("10.96.0.14"), 50051)))) {
            apps.add(app(web, "10.240.2.2", "web", 200));
            apps.add(app(good, "10.240.2.4", "good", 200));
            apps.add(app(bad, "10.240.2.5", "bad", 500));
            apps.add(app(plain, "10.240.2.7", "plain", 200));
            Thread.sleep(1500); // the agents' first enrolment pass
            try (Socket s = client.call(() -> new Socket(InetAddress.getByName("10.96.0.10"), 80))) {
                Http1Client http = new Http1Client(s);
                assertEquals(200, http.send("GET", "/flaky", "web", Map.of(), "").status(),
                        "the first attempt's 503 is retried");
                long start = System.nanoTime();
                assertEquals(504, http.send("GET", "/slow", "web", Map.of(), "").status());
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1400),
                        "answered at the 300 ms timeout, not when the backend finished");
                assertEquals(200, http.send("GET", "/limited", "web", Map.of(), "").status());
                assertEquals(200, http.send("GET", "/limited", "web", Map.of(), "").status());
                Http1Client.Response limited = http.send("GET", "/limited", "web", Map.of(), "");
                assertEquals(429, limited.status(), "a burst of 2, then the limit");
                assertTrue(Integer.parseInt(limited.headers().get("retry-after")) >= 1);
                String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
                assertTrue(http.send("GET", "/t", "web", Map.of("traceparent", parent), "").body()
                        .endsWith("traceparent=" + parent), "the trace context arrives at the backend");
            }
            try (Socket s = client.call(() -> new Socket(InetAddress.getByName("10.96.0.13"), 80))) {
                Http1Client http = new Http1Client(s);
                int failures = 0;
                int late = 0;
                for (int i = 0; i < 40; i++) {
                    int status = http.send("GET", "/", "pool", Map.of(), "").status();
                    failures += status == 500 ? 1 : 0;
                    late += status == 500 && i >= 20 ? 1 : 0;
                }
                assertEquals(5, failures, "five failures in a row eject the failing pod");
                assertEquals(0, late, "after that, traffic goes to the healthy pod");
            }
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcClient.port()).usePlaintext()
                    .overrideAuthority("grpc.shop.svc.cluster.local:50051").build();
            try {
                assertEquals("through the waypoint", EchoGrpc.echo(channel, "through the waypoint"));
                List<String> counted = new ArrayList<>();
                EchoGrpc.count(channel, 20).forEachRemaining(counted::add);
                assertEquals(20, counted.size(), "a server-streaming call delivers every message");
                assertTrue(echo.lastTraceparent.get() != null, "the waypoint handled the gRPC call at L7");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            try (Socket s = client.call(() -> new Socket(InetAddress.getByName("10.96.0.30"), 80))) {
                Http1Client.Response r = new Http1Client(s).send("GET", "/", "plain.other", Map.of(), "");
                assertEquals("plain traceparent=null", r.body(),
                        "a namespace without the waypoint label goes straight to its pod, untouched at L7");
            }
        } finally {
            apps.forEach(a -> a.stop(0));
            grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

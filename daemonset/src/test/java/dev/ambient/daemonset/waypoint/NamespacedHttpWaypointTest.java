package dev.ambient.daemonset.waypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ambient.daemonset.cluster.LocalMesh;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.testing.Http1Client;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The waypoint's HTTP layer in a real local cluster: an enrolled client pod calls a service whose
 * namespace uses a waypoint, its node captures the call with eBPF and tunnels it to the waypoint's
 * pod, and the waypoint splits it 90/10 between two versions, denies POST /admin in every spelling,
 * and passes the trace context on.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespacedHttpWaypointTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: wp, namespace: shop}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop}
            spec: {serviceAccountName: client, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-v1, namespace: shop, labels: {app: web, version: v1}}
            spec: {serviceAccountName: web, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-v2, namespace: shop, labels: {app: web, version: v2}}
            spec: {serviceAccountName: web, nodeName: node-b}
            status: {podIP: 10.240.2.3}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: wp-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: wp}}
            spec: {serviceAccountName: wp, nodeName: node-b}
            status: {podIP: 10.240.2.9}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-v1, namespace: shop}
            spec: {clusterIP: 10.96.0.11, selector: {app: web, version: v1}, ports: [{name: http, port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-v2, namespace: shop}
            spec: {clusterIP: 10.96.0.12, selector: {app: web, version: v2}, ports: [{name: http, port: 80, targetPort: 8080}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: web}]
              rules: [{backendRefs: [{name: web-v1, port: 80, weight: 90}, {name: web-v2, port: 80, weight: 10}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-admin-writes, namespace: shop}
            spec:
              targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
              action: DENY
              rules: [{to: [{operation: {methods: [POST], paths: [/admin, /admin/*]}}]}]
            """;

    /** An HTTP server in a pod's namespace that names its version and echoes the trace header. */
    private static HttpServer app(NetNamespace pod, String ip, String version) throws Exception {
        HttpServer server = pod.call(() -> HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), 8080), 0));
        server.createContext("/", x -> {
            byte[] body = (version + " traceparent=" + x.getRequestHeaders().getFirst("traceparent"))
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        return server;
    }

    @Test
    void splitDenyAndTraceThroughTheWaypoint() throws Exception {
        List<HttpServer> apps = new ArrayList<>();
        try (LocalMesh mesh = LocalMesh.start(MESH, "h");
                NetNamespace client = mesh.cluster.openPod("shop", "client");
                NetNamespace v1 = mesh.cluster.openPod("shop", "web-v1");
                NetNamespace v2 = mesh.cluster.openPod("shop", "web-v2")) {
            apps.add(app(v1, "10.240.2.2", "v1"));
            apps.add(app(v2, "10.240.2.3", "v2"));
            Thread.sleep(1500); // the agents' first enrolment pass
            InetSocketAddress web = new InetSocketAddress(InetAddress.getByName("10.96.0.10"), 80);
            try (Socket socket = client.call(() -> new Socket(web.getAddress(), web.getPort()))) {
                Http1Client http = new Http1Client(socket);
                int toV2 = 0;
                for (int i = 0; i < 1000; i++) {
                    Http1Client.Response r = http.send("GET", "/items", "web.shop.svc.cluster.local", Map.of(), "");
                    assertEquals(200, r.status(), "request " + i + ": " + r.body());
                    toV2 += r.body().startsWith("v2 ") ? 1 : 0;
                }
                assertTrue(toV2 >= 50 && toV2 <= 150, "10% ±5 points of 1000 to v2: " + toV2);
                for (String path : new String[] {"/admin", "//admin", "/admin/../admin", "/%2Fadmin", "/Admin/../admin"}) {
                    assertEquals(403, http.send("POST", path, "WEB.shop.svc.cluster.local", Map.of(), "x").status(), path);
                }
                assertEquals(200, http.send("GET", "/admin", "web", Map.of(), "").status(), "GET passes");
                String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
                assertTrue(http.send("GET", "/t", "web", Map.of("traceparent", parent), "").body()
                        .endsWith("traceparent=" + parent), "the trace context arrives at the backend");
            }
        } finally {
            apps.forEach(a -> a.stop(0));
        }
    }
}

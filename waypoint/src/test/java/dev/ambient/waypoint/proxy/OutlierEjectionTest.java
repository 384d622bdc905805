package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.testing.Http1Client;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.testing.NettyLeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service with a healthy pod and a pod that always fails: after five failures in a row the failing
 * pod is ejected and every later request lands on the healthy one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NettyLeakCheck.class)
class OutlierEjectionTest {

    private static HttpServer backend(InetAddress ip, int port, int status) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(ip, port), 0);
        s.createContext("/", x -> {
            byte[] body = ("status " + status).getBytes();
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        s.start();
        return s;
    }

    @Test
    void aFailingPodIsEjectedAndTrafficGoesToTheHealthyOne() throws Exception {
        InetAddress broken = InetAddress.getByName("127.0.0.5");
        HttpServer healthy = backend(LoopbackMesh.SERVER_IP, 0, 200);
        int port = healthy.getAddress().getPort();
        HttpServer failing = backend(broken, port, 500);
        try (LoopbackMesh mesh = LoopbackMesh.start("")) {
            mesh.rewrite(LoopbackMesh.WAYPOINT_YAML + """
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: server-2, namespace: demo, labels: {app: server}}
                    spec: {serviceAccountName: server, nodeName: node-c}
                    status: {podIP: 127.0.0.5}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: pool, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                    spec: {clusterIP: 10.96.0.31, selector: {app: server}, ports: [{name: http, port: 80, targetPort: %d}]}
                    """.formatted(port));
            try (Ztunnel nodeC = LoopbackMesh.startNode("node-c", broken, mesh.hbonePort, mesh.meshFile, mesh.dir,
                    mesh.ca, mesh.ca.bundle());
                    Ztunnel waypoint = Ztunnel.start(mesh.waypointConfig(), mesh.ca, mesh.ca.bundle(),
                            new HttpWaypointLayer());
                    Socket s = awaitReady(mesh, nodeC, waypoint)) {
                Http1Client http = new Http1Client(s);
                int failures = 0;
                int lateFailures = 0;
                for (int i = 0; i < 40; i++) {
                    int status = http.send("GET", "/", "pool", Map.of(), "").status();
                    failures += status == 500 ? 1 : 0;
                    lateFailures += status == 500 && i >= 20 ? 1 : 0;
                }
                assertEquals(5, failures, "five failures in a row eject the failing pod, then none reach it");
                assertEquals(0, lateFailures);
                String metrics = waypoint.registry().scrape();
                assertTrue(metrics.contains("response_code=\"500\""));
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("waypoint_outlier_ejections_total{")
                        && l.endsWith(" 1.0")), "the ejection is counted");
            }
        } finally {
            healthy.stop(0);
            failing.stop(0);
        }
    }

    private static Socket awaitReady(LoopbackMesh mesh, Ztunnel nodeC, Ztunnel waypoint) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(nodeC.ready() && waypoint.ready()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return mesh.connect(new InetSocketAddress(InetAddress.getByName("10.96.0.31"), 80));
    }
}

package dev.ambient.ztunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.testing.Streams;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an operator relies on: readiness, /config_dump, metrics, and idle pooled tunnels going away. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZtunnelOperationsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readinessConfigDumpAndMetricsDescribeTheNode() throws Exception {
        try (LoopbackMesh mesh = LoopbackMesh.start("")) {
            assertEquals(200, get(mesh.nodeB.readinessAddress(), "/healthz/ready").statusCode());
            try (Socket socket = mesh.connectToServer()) {
                Streams.echoRoundTrip(socket, 100, 1);
            }
            JsonNode dump = new ObjectMapper().readTree(get(mesh.nodeB.adminAddress(), "/config_dump").body());
            assertEquals("node-b", dump.get("node").asText());
            assertEquals(2, dump.get("workloads").size(), dump.toPrettyString());
            JsonNode cert = dump.get("certificates").get(0);
            assertEquals("spiffe://cluster.local/ns/demo/sa/server", cert.get("identity").asText(),
                    "node-b holds the certificate of the pod it serves, and only that one");
            assertEquals(1, dump.get("certificates").size());
            assertTrue(cert.get("secondsToExpiry").asLong() > 23 * 3600, "a fresh 24 h certificate: " + cert);
            String metrics = get(mesh.nodeA.metricsAddress(), "/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("istio_tcp_sent_bytes_total")
                    && l.contains("reporter=\"source\"") && l.contains("destination_workload=\"server\"")
                    && !l.endsWith(" 0.0")), "the source counts bytes it sent:\n" + metrics);

            mesh.nodeB.drain(Duration.ofSeconds(1));
            assertEquals(503, get(mesh.nodeB.readinessAddress(), "/healthz/ready").statusCode(),
                    "a draining node reports not ready");
        }
    }

    @Test
    void anIdlePooledConnectionIsClosed() throws Exception {
        try (LoopbackMesh mesh = LoopbackMesh.start("",
                c -> c.withHbone(c.hbone().withIdleTimeout(Duration.ofMillis(300))))) {
            try (Socket socket = mesh.connectToServer()) {
                Streams.echoRoundTrip(socket, 100, 2);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!mesh.nodeA.pool().stats().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(mesh.nodeA.pool().stats().isEmpty(), "idle connection still pooled: "
                    + mesh.nodeA.pool().stats());
            // And a new call simply dials again.
            try (Socket socket = mesh.connect(new InetSocketAddress(LoopbackMesh.SERVICE_VIP, 80))) {
                Streams.Digests d = Streams.echoRoundTrip(socket, 100, 3);
                assertEquals(100, d.received());
            }
            assertEquals(1, mesh.nodeA.pool().stats().stream().mapToInt(HbonePool.Stats::connections).sum());
        }
    }

    private static HttpResponse<String> get(InetSocketAddress address, String path) throws IOException,
            InterruptedException {
        String host = address.getAddress().getHostAddress();
        URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

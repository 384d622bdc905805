package dev.ambient.daemonset.waypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.ca.CaServer;
import dev.ambient.daemonset.ca.Caller;
import dev.ambient.daemonset.ca.IdentityPolicy;
import dev.ambient.daemonset.incluster.KubernetesSettings;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import dev.ambient.ztunnel.state.MeshSnapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waypoint as its Deployment runs it: its pod from the downward API, the Gateway, its pod and the
 * routes from the API server (the fabric8 mock server, CRUD), its own certificate from the CA service
 * over gRPC with its service-account token. It turns ready once both have arrived, serves its own
 * identity, and a route created in the API reaches its HTTP layer.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubernetesWaypointTest {

    static KubernetesClient client;

    @TempDir
    Path dir;

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: shop-waypoint}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: shop-waypoint, namespace: shop}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: shop-waypoint-7c9f, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: shop-waypoint}}
            spec: {serviceAccountName: shop-waypoint, nodeName: node-a}
            status: {podIP: 127.0.0.1, phase: Running}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: shop}
            spec: {clusterIP: 10.96.0.20, selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}]}
            """;

    private static final String ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: api-timeout, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: api, port: 80}]
              rules: [{timeouts: {request: 750ms}, backendRefs: [{name: api, port: 80}]}]
            """;

    @Test
    void readsTheClusterGetsItsOwnCertificateAndTurnsReady() throws Exception {
        for (HasMetadata object : client.load(new java.io.ByteArrayInputStream(CLUSTER.getBytes())).items()) {
            client.resource(object).create();
        }
        EmbeddedCa root = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
        SpiffeId caId = SpiffeId.of("cluster.local", "ambient-system", "ambient-ca");
        SpiffeId own = SpiffeId.of("cluster.local", "shop", "shop-waypoint");
        try (CaServer ca = CaServer.start(new InetSocketAddress("127.0.0.1", 0), root, caId,
                token -> token.equals("waypoint-token")
                        ? Optional.of(new Caller("shop", "shop-waypoint", Optional.of("node-a"))) : Optional.empty(),
                new IdentityPolicy("cluster.local", Set.of("ambient-system/ztunnel"),
                        () -> MeshSnapshot.empty("cluster.local")))) {
            Path rootFile = Files.writeString(dir.resolve("root-cert.pem"), Pem.encode(root.root()));
            Path token = Files.writeString(dir.resolve("token"), "waypoint-token");
            KubernetesSettings settings = KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "node-a",
                    "POD_NAME", "shop-waypoint-7c9f", "POD_NAMESPACE", "shop", "CA_ADDRESS", "127.0.0.1:" + ca.port(),
                    "CA_ROOT", rootFile.toString(), "TOKEN_FILE", token.toString()));
            try (KubernetesWaypoint waypoint = KubernetesWaypoint.start(settings, client, b -> b
                    .listenAddress(InetAddress.getLoopbackAddress()).ports(ZtunnelConfig.Ports.ephemeral(0))
                    .workerThreads(1))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!waypoint.proxy().ready() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(waypoint.proxy().ready(), "ready once the cluster is listed and the certificate issued: "
                        + waypoint.proxy().configDump());
                List<WorkloadCertificate> certificates = waypoint.proxy().certificates().snapshot();
                assertEquals(List.of(own), certificates.stream().map(WorkloadCertificate::identity).toList(),
                        "the waypoint serves its own identity and nothing else");
                assertTrue(waypoint.proxy().registry().scrape().contains(
                        "ambient_apiserver_watch_up{resource=\"httproutes.gateway.networking.k8s.io\"} 1.0"),
                        "its metrics show the watches established");
                certificates.get(0).leaf().verify(root.root().getPublicKey()); // issued by the CA service

                client.resource(client.getKubernetesSerialization().unmarshal(ROUTE, HasMetadata.class)).create();
                while (!waypoint.proxy().configDump().contains("api-timeout") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(waypoint.proxy().configDump().contains("api-timeout"),
                        "the route created in the API reaches the waypoint's HTTP layer: " + waypoint.proxy().configDump());
            }
        }
    }
}

package dev.ambient.ztunnel.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.MeshSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Service VIPs resolve to ready endpoints in turn; pods in and out of the mesh route differently. */
class OutboundRouterTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web}}
            spec: {nodeName: n1}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-2, namespace: shop, labels: {app: web}}
            spec: {nodeName: n2}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-3, namespace: shop, labels: {app: web}}
            spec: {nodeName: n2}
            status:
              podIP: 10.0.0.3
              conditions: [{type: Ready, status: "False"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: legacy, namespace: shop, labels: {istio.io/dataplane-mode: none}}
            spec: {nodeName: n2}
            status: {podIP: 10.0.0.9}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {clusterIP: 10.96.0.1, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
            """;

    private final MeshSnapshot snapshot = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local",
            Clock.systemUTC()).build(1, new MeshFileParser().parse(MESH, "mesh.yaml"));
    private final OutboundRouter router = new OutboundRouter();

    @Test
    void aVipRotatesOverReadyEndpointsOnly() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            OutboundRoute.Tunnel t = assertInstanceOf(OutboundRoute.Tunnel.class,
                    router.route(snapshot, address("10.96.0.1", 80)));
            assertEquals(8080, t.authority().getPort(), "the service port maps to the target port");
            assertEquals("web.shop.svc.cluster.local", t.service());
            seen.add(t.destination().name());
        }
        assertEquals(Set.of("web-1", "web-2"), seen, "both ready endpoints in turn, never the unready one");
    }

    @Test
    void podsOutsideTheMeshAndUnknownAddressesGoDirect() throws Exception {
        assertInstanceOf(OutboundRoute.Direct.class, router.route(snapshot, address("10.0.0.9", 80)));
        assertInstanceOf(OutboundRoute.Direct.class, router.route(snapshot, address("192.0.2.7", 443)));
        assertInstanceOf(OutboundRoute.Tunnel.class, router.route(snapshot, address("10.0.0.2", 8080)));
        assertInstanceOf(OutboundRoute.Refused.class, router.route(snapshot, address("10.96.0.1", 81)),
                "a VIP port the service does not have");
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }
}

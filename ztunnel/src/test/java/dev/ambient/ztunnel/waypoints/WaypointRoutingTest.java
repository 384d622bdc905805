package dev.ambient.ztunnel.waypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.proxy.OutboundRoute;
import dev.ambient.ztunnel.proxy.OutboundRouter;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Istio's binding rules: the service or pod label wins over the namespace's, {@code #none} opts out,
 * {@code waypoint-for} decides which addressing it takes, and the waypoint's own pods are never bound.
 */
class WaypointRoutingTest {

    private static String mesh(String waypointFor, String serviceLabels, String podLabels) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp}}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: wp, namespace: shop, labels: {istio.io/waypoint-for: %s}}
                spec:
                  gatewayClassName: istio-waypoint
                  listeners: [{name: mesh, port: 15008, protocol: HBONE}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: wp-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: wp, istio.io/dataplane-mode: none}}
                spec: {nodeName: n1, serviceAccountName: wp}
                status: {podIP: 10.0.0.50}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop, labels: {app: web%s}}
                spec: {nodeName: n2, serviceAccountName: web}
                status: {podIP: 10.0.0.1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop%s}
                spec: {clusterIP: 10.96.0.1, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
                """.formatted(waypointFor, podLabels, serviceLabels);
    }

    private static MeshSnapshot snapshot(String yaml) {
        return new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC())
                .build(1, new MeshFileParser().parse(yaml, "mesh.yaml"));
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void serviceTrafficGoesToTheWaypointWithTheOriginalAuthority() throws Exception {
        MeshSnapshot s = snapshot(mesh("service", "", ""));
        assertTrue(s.rejected().isEmpty(), s.rejected().toString());
        OutboundRoute.ViaWaypoint via = assertInstanceOf(OutboundRoute.ViaWaypoint.class,
                new OutboundRouter().route(s, at("10.96.0.1", 80)));
        assertEquals("shop/wp-1", via.endpoint().key());
        assertEquals("spiffe://cluster.local/ns/shop/sa/wp", via.endpoint().identity().toString());
        assertEquals(at("10.96.0.1", 80), via.authority(), "the waypoint balances over the service itself");
        // waypoint-for: service leaves pod-addressed traffic alone, as in Istio.
        assertInstanceOf(OutboundRoute.Tunnel.class, new OutboundRouter().route(s, at("10.0.0.1", 8080)));
    }

    @Test
    void workloadAndAllTakePodAddressedTraffic() throws Exception {
        for (String takes : new String[] {"workload", "all"}) {
            MeshSnapshot s = snapshot(mesh(takes, "", ""));
            OutboundRoute.ViaWaypoint via = assertInstanceOf(OutboundRoute.ViaWaypoint.class,
                    new OutboundRouter().route(s, at("10.0.0.1", 8080)), takes);
            assertEquals(at("10.0.0.1", 8080), via.authority());
            assertEquals(takes.equals("all"), new OutboundRouter().route(s, at("10.96.0.1", 80))
                    instanceof OutboundRoute.ViaWaypoint, takes);
        }
        MeshSnapshot none = snapshot(mesh("none", "", ""));
        assertInstanceOf(OutboundRoute.Tunnel.class, new OutboundRouter().route(none, at("10.96.0.1", 80)));
    }

    @Test
    void theResourceLabelWinsAndNoneOptsOut() throws Exception {
        MeshSnapshot serviceOut = snapshot(mesh("all", ", labels: {istio.io/use-waypoint: \"#none\"}", ""));
        assertInstanceOf(OutboundRoute.Tunnel.class, new OutboundRouter().route(serviceOut, at("10.96.0.1", 80)));
        assertInstanceOf(OutboundRoute.ViaWaypoint.class, new OutboundRouter().route(serviceOut, at("10.0.0.1", 8080)),
                "the pod still uses the namespace's waypoint");
        MeshSnapshot podOut = snapshot(mesh("all", "", ", istio.io/use-waypoint: \"#none\""));
        assertInstanceOf(OutboundRoute.Tunnel.class, new OutboundRouter().route(podOut, at("10.0.0.1", 8080)));
        Workload web = podOut.workload(InetAddress.getByName("10.0.0.1")).orElseThrow();
        assertTrue(podOut.waypointForWorkload(web).isEmpty());
    }

    @Test
    void aWaypointsOwnPodsAreNeverBoundToIt() throws Exception {
        MeshSnapshot s = snapshot(mesh("all", "", ""));
        Workload wp = s.workload(InetAddress.getByName("10.0.0.50")).orElseThrow();
        assertTrue(s.isWaypointPod(wp));
        assertTrue(s.waypointForWorkload(wp).isEmpty());
    }

    @Test
    void aMissingWaypointRefusesInsteadOfSkippingIt() throws Exception {
        MeshSnapshot s = snapshot(mesh("all", ", labels: {istio.io/use-waypoint: gone}", ""));
        OutboundRoute.Refused refused = assertInstanceOf(OutboundRoute.Refused.class,
                new OutboundRouter().route(s, at("10.96.0.1", 80)));
        assertTrue(refused.reason().contains("waypoint shop/gone"), refused.reason());
        Waypoint gone = s.waypointForService(s.services().get(0)).orElseThrow();
        assertTrue(s.waypointIdentities(gone).isEmpty(), "nobody can prove to be it, so nobody gets through");
    }
}

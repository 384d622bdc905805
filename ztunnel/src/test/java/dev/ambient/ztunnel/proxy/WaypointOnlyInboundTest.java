package dev.ambient.ztunnel.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A pod served by a waypoint takes connections from the waypoint only: the waypoint cannot be skipped. */
class WaypointOnlyInboundTest {

    private static MeshSnapshot snapshot(String namespaceLabels) {
        String yaml = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient%s}}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: wp, namespace: shop, labels: {istio.io/waypoint-for: all}}
                spec: {gatewayClassName: istio-waypoint, listeners: [{name: m, port: 15008, protocol: HBONE}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: wp-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: wp}}
                spec: {nodeName: n1, serviceAccountName: wp}
                status: {podIP: 10.0.0.50}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop}
                spec: {nodeName: n2, serviceAccountName: web}
                status: {podIP: 10.0.0.1}
                """.formatted(namespaceLabels);
        return new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC())
                .build(1, new MeshFileParser().parse(yaml, "mesh.yaml"));
    }

    private static InboundAuthorization from(Optional<SpiffeId> peer) throws Exception {
        return new InboundAuthorization(peer, InetAddress.getByName("10.0.0.7"),
                new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 8080), "shop/web-1");
    }

    @Test
    void onlyTheWaypointGetsThrough() throws Exception {
        MeshSnapshot s = snapshot(", istio.io/use-waypoint: wp");
        Workload web = s.workload(InetAddress.getByName("10.0.0.1")).orElseThrow();
        Decision caller = from(Optional.of(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/client"))).check(s, web);
        assertTrue(caller.denied());
        assertTrue(caller.reason().contains("only the waypoint may connect"), caller.reason());
        assertTrue(from(Optional.empty()).check(s, web).denied(), "plaintext cannot skip it either");
        assertTrue(from(Optional.of(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/wp"))).check(s, web).allowed());
    }

    @Test
    void bindingAWaypointLiveClosesConnectionsThatSkipIt() throws Exception {
        InboundAuthorization direct = from(Optional.of(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/client")));
        assertFalse(direct.recheck().deniedBy(snapshot("")).isPresent(), "no waypoint: the call is fine");
        assertTrue(direct.recheck().deniedBy(snapshot(", istio.io/use-waypoint: wp")).isPresent());
    }
}

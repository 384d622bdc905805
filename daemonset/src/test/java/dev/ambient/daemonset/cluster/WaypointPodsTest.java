package dev.ambient.daemonset.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.meshfile.MeshFileParser;
import org.junit.jupiter.api.Test;

/** Pods for waypoints the mesh file declares without one, as the local cluster adds them. */
class WaypointPodsTest {

    private static final String GATEWAYS = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: wp, namespace: shop}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: other, namespace: shop}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop}
            spec: {serviceAccountName: client, nodeName: node-a}
            status: {podIP: 10.254.0.10}
            """;

    @Test
    void aWaypointWithoutAPodGetsOneNamedAfterItsGateway() {
        String completed = WaypointPods.complete(GATEWAYS, "m.yaml");
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(completed, "m.yaml"));
        ClusterSpec.PodSpec wp = spec.pod("shop", "wp-0");
        assertTrue(wp.waypoint(), "it runs the waypoint's proxy");
        assertEquals("node-a", wp.node());
        assertEquals("10.254.0.11", wp.ip().getHostAddress(), "the next address no pod of the file holds");
        assertEquals("10.254.0.12", spec.pod("shop", "other-0").ip().getHostAddress());
        assertTrue(completed.contains("serviceAccountName: wp,"), "its service account is named after the Gateway");
    }

    @Test
    void aWaypointThatHasAPodIsLeftAlone() {
        String withPod = GATEWAYS + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: wp-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: wp}}
                spec: {serviceAccountName: wp, nodeName: node-a}
                status: {podIP: 10.240.2.9}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: other-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: other}}
                spec: {serviceAccountName: other, nodeName: node-a}
                status: {podIP: 10.240.2.8}
                """;
        assertEquals(withPod, WaypointPods.complete(withPod, "m.yaml"));
    }
}

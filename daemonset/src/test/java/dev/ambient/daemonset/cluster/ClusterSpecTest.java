package dev.ambient.daemonset.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nodes come from Node objects (InternalIP) or from pods' nodeName; a pod on an undeclared node is named. */
class ClusterSpecTest {

    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: ns}
            spec: {nodeName: n1}
            status: {podIP: 10.1.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: ns}
            spec: {nodeName: n2}
            status: {podIP: 10.2.0.2}
            """;

    @Test
    void nodesWithoutNodeObjectsGetAddressesInOrder() throws Exception {
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(PODS, "m.yaml"));
        assertEquals(List.of("n1", "n2"), List.copyOf(spec.nodes().keySet()));
        assertEquals(InetAddress.getByName("172.31.0.11"), spec.nodes().get("n1"));
        assertEquals(InetAddress.getByName("172.31.0.12"), spec.nodes().get("n2"));
    }

    @Test
    void aNodesInternalIpIsItsAddress() throws Exception {
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(PODS + """
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status: {addresses: [{type: InternalIP, address: 192.168.50.7}]}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: n2}
                """, "m.yaml"));
        assertEquals(InetAddress.getByName("192.168.50.7"), spec.nodes().get("n1"));
        assertEquals(InetAddress.getByName("172.31.0.11"), spec.nodes().get("n2"));
    }

    @Test
    void aPodOnAnUndeclaredNodeIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSpec.of(
                new MeshFileParser().parse(PODS + """
                        ---
                        apiVersion: v1
                        kind: Node
                        metadata: {name: n1}
                        """, "m.yaml")));
        assertTrue(e.getMessage().contains("Pod ns/b is on node n2"), e.getMessage());
    }
}

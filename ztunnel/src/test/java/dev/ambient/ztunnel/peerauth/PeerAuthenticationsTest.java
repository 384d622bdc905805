package dev.ambient.ztunnel.peerauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetAddress;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Istio's PeerAuthentication resolution: workload, then namespace, then mesh; UNSET defers; PERMISSIVE last. */
class PeerAuthenticationsTest {

    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: shop, labels: {app: api}}
            spec: {nodeName: n1}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec: {nodeName: n1}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: job, namespace: batch}
            spec: {nodeName: n1}
            status: {podIP: 10.0.0.3}
            """;

    @Test
    void theMostSpecificScopeWinsAndUnsetDefers() throws Exception {
        MeshSnapshot s = snapshot(PODS + """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: mesh, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: shop, namespace: shop}
                spec: {mtls: {mode: PERMISSIVE}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: api, namespace: shop}
                spec:
                  selector: {matchLabels: {app: api}}
                  mtls: {mode: UNSET}
                  portLevelMtls:
                    9090: {mode: STRICT}
                """);
        PeerAuthentications p = s.peerAuthentications();
        assertEquals(MtlsMode.STRICT, p.resolve(pod(s, "10.0.0.1"), 9090).mode(), "port-level override");
        assertEquals(MtlsMode.PERMISSIVE, p.resolve(pod(s, "10.0.0.1"), 8080).mode(), "UNSET defers to the namespace");
        assertEquals("shop/shop", p.resolve(pod(s, "10.0.0.2"), 8080).policy());
        assertEquals(MtlsMode.STRICT, p.resolve(pod(s, "10.0.0.3"), 8080).mode(), "mesh-wide applies elsewhere");
    }

    @Test
    void withoutAnyPolicyPlaintextIsAccepted() throws Exception {
        MeshSnapshot s = snapshot(PODS);
        assertEquals(MtlsMode.PERMISSIVE, s.peerAuthentications().resolve(pod(s, "10.0.0.1"), 80).mode());
    }

    @Test
    void aBadModeRejectsOnlyThatResource() throws Exception {
        MeshSnapshot s = snapshot(PODS + """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: typo, namespace: shop}
                spec: {mtls: {mode: STRIKT}}
                """);
        assertTrue(s.rejected().stream().anyMatch(r -> r.contains("PeerAuthentication shop/typo")
                && r.contains("STRIKT")), s.rejected().toString());
        assertEquals(3, s.workloads().size());
    }

    private static MeshSnapshot snapshot(String yaml) {
        return new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC())
                .build(1, new MeshFileParser().parse(yaml, "mesh.yaml"));
    }

    private static Workload pod(MeshSnapshot s, String ip) throws Exception {
        return s.workload(InetAddress.getByName(ip)).orElseThrow();
    }
}

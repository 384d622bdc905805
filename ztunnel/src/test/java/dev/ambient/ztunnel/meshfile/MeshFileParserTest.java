package dev.ambient.ztunnel.meshfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.TunnelProtocol;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A mesh file with bad objects among good ones: each bad one is rejected alone, by name; the rest load. */
class MeshFileParserTest {

    private static final String FILE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {istio.io/dataplane-mode: ambient}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec: {serviceAccountName: web-sa, nodeName: n1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
            status: {podIP: 10.0.1.5}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: no-ip, namespace: shop}
            spec: {nodeName: n1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: bad-ip, namespace: shop}
            spec: {nodeName: n1}
            status: {podIP: "10.0.1.300"}
            ---
            this: is: not: yaml: [
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: wrong-type, namespace: shop}
            spec: {containers: "a string where a list belongs", nodeName: n1}
            status: {podIP: 10.0.1.7}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: opted-out, namespace: shop, labels: {istio.io/dataplane-mode: none}}
            spec: {nodeName: n2}
            status: {podIP: 10.0.2.9}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: duplicate-ip, namespace: shop}
            spec: {nodeName: n2}
            status: {podIP: 10.0.1.5}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              clusterIP: 10.96.0.20
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: no-vip, namespace: shop}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: allow-web, namespace: shop}
            spec:
              action: ALLOW
              rules: [{from: [{source: {namespaces: [shop]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: broken, namespace: shop}
            spec:
              action: ALLOW
              rules: [{from: [{source: {ipBlocks: ["10.0.0.0/99"]}}]}]
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w}
            """;

    @Test
    void badObjectsAreRejectedAloneAndNamed() {
        KubeObjects objects = new MeshFileParser().parse(FILE, "mesh.yaml");
        MeshSnapshot snapshot = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local",
                Clock.systemUTC()).build(1, objects);

        assertEquals(List.of("shop/opted-out", "shop/web"),
                snapshot.workloads().stream().map(Workload::key).sorted().toList(), "the good pods load");
        assertEquals(1, snapshot.services().size(), "the good service loads");
        assertEquals(1, snapshot.policies().size(), "the good policy loads");

        List<String> rejected = snapshot.rejected();
        assertRejected(rejected, "Pod shop/no-ip", "status.podIP is required");
        assertRejected(rejected, "Pod shop/bad-ip", "is not an IP address");
        assertRejected(rejected, "mesh.yaml:", "not valid YAML");
        assertRejected(rejected, "Pod shop/wrong-type", "mesh.yaml:");
        assertRejected(rejected, "Pod shop/duplicate-ip", "already used by Pod shop/web");
        assertRejected(rejected, "Service shop/no-vip", "spec.clusterIP is required");
        assertRejected(rejected, "broken", "10.0.0.0/99");
        assertRejected(rejected, "Widget", "not used by the mesh");
        assertEquals(8, rejected.size(), "exactly the bad objects are rejected: " + rejected);
    }

    @Test
    void enrolmentAndServicePortsFollowTheLabels() throws Exception {
        MeshSnapshot snapshot = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local",
                Clock.systemUTC()).build(1, new MeshFileParser().parse(FILE, "mesh.yaml"));
        Workload web = snapshot.workload(InetAddress.getByName("10.0.1.5")).orElseThrow();
        assertEquals(TunnelProtocol.HBONE, web.protocol(), "a pod in an ambient namespace is enrolled");
        assertEquals("spiffe://cluster.local/ns/shop/sa/web-sa", web.identity().toString());
        Workload optedOut = snapshot.workload(InetAddress.getByName("10.0.2.9")).orElseThrow();
        assertEquals(TunnelProtocol.NONE, optedOut.protocol(), "the pod label none wins over the namespace");
        var service = snapshot.service(InetAddress.getByName("10.96.0.20")).orElseThrow();
        assertEquals(8080, service.port(80).orElseThrow().targetOn(web), "a named targetPort resolves per pod");
        assertEquals(List.of(web), snapshot.readyEndpoints(service));
    }

    private static void assertRejected(List<String> rejected, String subject, String reason) {
        assertTrue(rejected.stream().anyMatch(r -> r.contains(subject) && r.contains(reason)),
                "expected a rejection naming '" + subject + "' with '" + reason + "' in " + rejected);
    }
}

package dev.ambient.daemonset.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.MeshSnapshot;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CA root in a Secret (fabric8 mock API server, CRUD): made once, then the same root; a bad Secret
 * stops the CA; the root certificate is published in every namespace of the mesh.
 */
@EnableKubernetesMockClient(crud = true)
class CaSecretTest {

    static KubernetesClient client;

    @Test
    void theRootIsCreatedOnceAndLoadedAfter() {
        EmbeddedCa first = CaSecret.loadOrCreate(client, "ambient-system", "ambient-ca-root", "cluster.local",
                Clock.systemUTC());
        EmbeddedCa again = CaSecret.loadOrCreate(client, "ambient-system", "ambient-ca-root", "cluster.local",
                Clock.systemUTC());
        assertEquals(first.root(), again.root(), "a restarted CA signs with the same root");
        CaSecret.publishRoot(client, "ambient-system", "ambient-ca-root", first);
        CaSecret.publishRoot(client, "ambient-system", "ambient-ca-root", first);
        assertEquals(Pem.encode(first.root()), client.configMaps()
                .inNamespace("ambient-system").withName("ambient-ca-root").get().getData().get("root-cert.pem"),
                "the agents' ConfigMap carries the root, and publishing again updates it");
    }

    @Test
    void theRootIsPublishedInEveryNamespaceOfTheMesh() {
        EmbeddedCa ca = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
        MeshSnapshot snapshot = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local",
                Clock.systemUTC()).build(1, new MeshFileParser().parse("""
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}
                        ---
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: plain}
                        ---
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: edge}
                        ---
                        apiVersion: gateway.networking.k8s.io/v1
                        kind: Gateway
                        metadata: {name: edge-waypoint, namespace: edge}
                        spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
                        """, "cluster.yaml"));
        new RootPublisher(client, "ambient-ca-root", ca).accept(MeshSnapshot.empty("cluster.local"), snapshot);
        for (String namespace : List.of("shop", "edge")) {
            assertEquals(Pem.encode(ca.root()), client.configMaps().inNamespace(namespace).withName("ambient-ca-root")
                    .get().getData().get("root-cert.pem"), "published in " + namespace);
        }
        assertNull(client.configMaps().inNamespace("plain").withName("ambient-ca-root").get(),
                "not in a namespace outside the mesh");
    }

    @Test
    void aSecretWithABadKeyStopsTheCaWithItsName() {
        EmbeddedCa other = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
        CaSecret.loadOrCreate(client, "ambient-system", "good", "cluster.local", Clock.systemUTC());
        String cert = client.secrets().inNamespace("ambient-system").withName("good").get().getData().get(CaSecret.CERT);
        client.secrets().inNamespace("ambient-system").resource(new SecretBuilder().withNewMetadata()
                .withName("mixed").withNamespace("ambient-system").endMetadata().withData(Map.of(CaSecret.CERT, cert,
                        CaSecret.KEY, Base64.getEncoder().encodeToString(other.rootKeyPem()
                                .getBytes(StandardCharsets.UTF_8)))).build()).create();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CaSecret.loadOrCreate(client,
                "ambient-system", "mixed", "cluster.local", Clock.systemUTC()));
        assertTrue(e.getMessage().contains("ambient-system/mixed") && e.getMessage().contains("does not match"),
                e.getMessage());
        client.secrets().inNamespace("ambient-system").resource(new SecretBuilder().withNewMetadata()
                .withName("empty").withNamespace("ambient-system").endMetadata().build()).create();
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> CaSecret.loadOrCreate(client,
                "ambient-system", "empty", "cluster.local", Clock.systemUTC()));
        assertTrue(missing.getMessage().contains("ca.key"), missing.getMessage());
    }
}

package dev.ambient.daemonset.agent;

import static dev.ambient.daemonset.agent.ApiServerFixture.enrolledOnNodeA;
import static dev.ambient.daemonset.agent.ApiServerFixture.label;
import static dev.ambient.daemonset.agent.ApiServerFixture.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.authz.ConnectionContext;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node agent's state read from an API server (the fabric8 mock server, CRUD): labelling a
 * namespace enrols its pods on this node and only those, a pod's own {@code none} label and the host
 * network keep a pod out, a deleted pod and an unlabelled namespace are unenrolled, and an
 * AuthorizationPolicy created in the API is enforced.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiServerEnrolmentTest {

    static KubernetesClient client;

    @Test
    void labelsPodsAndPoliciesFromTheApiServerDriveEnrolment() throws Exception {
        label(client, null);
        client.pods().resource(pod("a1", "node-a", "10.240.1.2", Map.of("app", "a"), false)).create();
        client.pods().resource(pod("opted-out", "node-a", "10.240.1.3", Map.of("istio.io/dataplane-mode", "none"),
                false)).create();
        client.pods().resource(pod("host", "node-a", "172.31.0.11", Map.of(), true)).create();
        client.pods().resource(pod("b1", "node-b", "10.240.2.2", Map.of(), false)).create();
        try (ApiServerFixture agent = new ApiServerFixture(client)) {
            StateStore store = agent.store;
            agent.source.start().get(20, TimeUnit.SECONDS);
            assertEquals(4, store.current().workloads().size(), "every pod is known, on every node");
            assertEquals(List.of(), agent.enrolledOnNodeA(), "the namespace is not labelled yet");

            label(client, "ambient");
            agent.await(s -> enrolledOnNodeA(s).equals(List.of("a1")), "a1 enrolled");
            assertTrue(store.current().workloadsOn("node-b").stream().anyMatch(w -> w.name().equals("b1") && w.inMesh()),
                    "b1 is in the mesh as a destination, enrolled by node-b's agent, not node-a's");

            GenericKubernetesResource policy = Serialization.unmarshal("""
                    apiVersion: security.istio.io/v1
                    kind: AuthorizationPolicy
                    metadata: {name: deny-b1, namespace: shop}
                    spec:
                      action: DENY
                      rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/b1]}}]}]
                    """, GenericKubernetesResource.class);
            client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("security.istio.io")
                    .withVersion("v1").withKind("AuthorizationPolicy").withPlural("authorizationpolicies")
                    .withNamespaced(true).build()).inNamespace("shop").resource(policy).create();
            MeshSnapshot withPolicy = agent.await(s -> !s.policies().isEmpty(), "the policy loaded");
            assertTrue(withPolicy.authorizer().authorize(connection("cluster.local/ns/shop/sa/b1")).denied(),
                    "the policy from the API server is enforced");
            assertTrue(withPolicy.authorizer().authorize(connection("cluster.local/ns/shop/sa/other")).allowed());

            client.pods().inNamespace("shop").withName("a1").delete();
            agent.await(s -> s.workloads().stream().noneMatch(w -> w.name().equals("a1")), "a1 gone");
            assertEquals(List.of(), agent.enrolledOnNodeA(), "a deleted pod is unenrolled");

            client.pods().resource(pod("a2", "node-a", "10.240.1.4", Map.of(), false)).create();
            agent.await(s -> enrolledOnNodeA(s).equals(List.of("a2")), "a new pod enrolled");
            label(client, null);
            agent.await(s -> enrolledOnNodeA(s).isEmpty(), "unlabelled, nothing enrolled");
        }
    }

    private static ConnectionContext connection(String principal) throws Exception {
        return new ConnectionContext(Optional.of(principal), Optional.of("shop"), InetAddress.getByName("10.240.2.2"),
                InetAddress.getByName("10.240.1.4"), 8080, "shop", Map.of());
    }
}

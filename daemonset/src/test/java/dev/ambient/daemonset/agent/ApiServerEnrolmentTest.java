package dev.ambient.daemonset.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.apiserver.ApiServerSource;
import dev.ambient.ztunnel.authz.ConnectionContext;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.state.Workload;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

    private static Pod pod(String name, String node, String ip, Map<String, String> labels, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName(name).withHostNetwork(hostNetwork).endSpec()
                .withNewStatus().withPodIP(ip).withPhase("Running").endStatus().build();
    }

    private static void label(String mode) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withLabels(mode == null ? Map.of() : Map.of("istio.io/dataplane-mode", mode)).endMetadata().build())
                .createOr(n -> n.update());
    }

    /** What node-a's agent enrols in the current state. */
    private static List<String> enrolledOnNodeA(StateStore store) {
        return store.current().workloadsOn("node-a").stream().filter(Enrolment::enrols).map(Workload::name).sorted()
                .toList();
    }

    private static MeshSnapshot await(StateStore store, Predicate<MeshSnapshot> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            MeshSnapshot s = store.current();
            if (store.loaded() && condition.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("within 10 s: " + what + "; enrolled on node-a: " + enrolledOnNodeA(store));
    }

    @Test
    void labelsPodsAndPoliciesFromTheApiServerDriveEnrolment() throws Exception {
        label(null);
        client.pods().resource(pod("a1", "node-a", "10.240.1.2", Map.of("app", "a"), false)).create();
        client.pods().resource(pod("opted-out", "node-a", "10.240.1.3", Map.of("istio.io/dataplane-mode", "none"),
                false)).create();
        client.pods().resource(pod("host", "node-a", "172.31.0.11", Map.of(), true)).create();
        client.pods().resource(pod("b1", "node-b", "10.240.2.2", Map.of(), false)).create();
        StateStore store = new StateStore(MeshSnapshot.empty("cluster.local"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SnapshotBuilder builder = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local",
                Clock.systemUTC());
        try (ApiServerSource source = new ApiServerSource(client, builder, store, scheduler, Duration.ofMillis(50))) {
            source.start().get(20, TimeUnit.SECONDS);
            assertEquals(4, store.current().workloads().size(), "every pod is known, on every node");
            assertEquals(List.of(), enrolledOnNodeA(store), "the namespace is not labelled yet");

            label("ambient");
            await(store, s -> enrolledOnNodeA(store).equals(List.of("a1")), "a1 enrolled");
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
            MeshSnapshot withPolicy = await(store, s -> !s.policies().isEmpty(), "the policy loaded");
            assertTrue(withPolicy.authorizer().authorize(connection("cluster.local/ns/shop/sa/b1")).denied(),
                    "the policy from the API server is enforced");
            assertTrue(withPolicy.authorizer().authorize(connection("cluster.local/ns/shop/sa/other")).allowed());

            client.pods().inNamespace("shop").withName("a1").delete();
            await(store, s -> s.workloads().stream().noneMatch(w -> w.name().equals("a1")), "a1 gone");
            assertEquals(List.of(), enrolledOnNodeA(store), "a deleted pod is unenrolled");

            client.pods().resource(pod("a2", "node-a", "10.240.1.4", Map.of(), false)).create();
            await(store, s -> enrolledOnNodeA(store).equals(List.of("a2")), "a new pod enrolled");
            label(null);
            await(store, s -> enrolledOnNodeA(store).isEmpty(), "unlabelled, nothing enrolled");
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static ConnectionContext connection(String principal) throws Exception {
        return new ConnectionContext(Optional.of(principal), Optional.of("shop"), InetAddress.getByName("10.240.2.2"),
                InetAddress.getByName("10.240.1.4"), 8080, "shop", Map.of());
    }
}

package dev.ambient.daemonset.agent;

import dev.ambient.ztunnel.apiserver.ApiServerSource;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.state.Workload;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link ApiServerSource} feeding a store, as node-a's agent runs it, and the API objects the
 * enrolment tests write: pods in namespace {@code shop} and that namespace's label.
 */
final class ApiServerFixture implements AutoCloseable {

    final StateStore store = new StateStore(MeshSnapshot.empty("cluster.local"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final ApiServerSource source;

    ApiServerFixture(KubernetesClient client) {
        source = new ApiServerSource(client, new SnapshotBuilder("cluster.local", "istio-system", "cluster.local",
                Clock.systemUTC()), store, scheduler, Duration.ofMillis(50));
    }

    static Pod pod(String name, String node, String ip, Map<String, String> labels, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName(name).withHostNetwork(hostNetwork).endSpec()
                .withNewStatus().withPodIP(ip).withPhase("Running").endStatus().build();
    }

    /** Sets namespace {@code shop}'s dataplane mode, or removes it for {@code null}. */
    static void label(KubernetesClient client, String mode) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withLabels(mode == null ? Map.of() : Map.of("istio.io/dataplane-mode", mode)).endMetadata().build())
                .createOr(n -> n.update());
    }

    /** What node-a's agent enrols in a snapshot. */
    static List<String> enrolledOnNodeA(MeshSnapshot snapshot) {
        return snapshot.workloadsOn("node-a").stream().filter(Enrolment::enrols).map(Workload::name).sorted().toList();
    }

    List<String> enrolledOnNodeA() {
        return enrolledOnNodeA(store.current());
    }

    MeshSnapshot await(Predicate<MeshSnapshot> condition, String what, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            MeshSnapshot s = store.current();
            if (store.loaded() && condition.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("within " + within.toSeconds() + " s: " + what + "; enrolled on node-a: "
                + enrolledOnNodeA());
    }

    MeshSnapshot await(Predicate<MeshSnapshot> condition, String what) throws InterruptedException {
        return await(condition, what, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        source.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.ambient.ztunnel.apiserver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.testing.LogCapture;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the API-server source does when the API server is not there or does not allow it. */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiServerSourceTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void rbacThatForbidsListingPodsKeepsTheNodeUnenrolledAndSaysWhichVerbAndResource() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withLabels(Map.of("istio.io/dataplane-mode", "ambient")).endMetadata().build()).create();
        Status forbidden = new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("pods is forbidden: "
                + "User \"system:serviceaccount:ambient-system:ambient-agent\" cannot list resource \"pods\" in API "
                + "group \"\" at the cluster scope").build();
        for (String list : List.of("/api/v1/pods?resourceVersion=0", "/api/v1/pods")) {
            server.expect().get().withPath(list).andReturn(403, forbidden).always();
        }
        assertUnreadyAndLogged(client, "RBAC forbids this agent to list/watch pods (403): grant the verbs get, "
                + "list and watch on pods");
    }

    /**
     * Starts a source on {@code api} and checks that it logs {@code expected}, builds no snapshot from
     * a partial view, and leaves the store unloaded: nothing enrolled and the proxy not ready.
     */
    private void assertUnreadyAndLogged(KubernetesClient api, String expected) throws Exception {
        StateStore store = new StateStore(MeshSnapshot.empty("cluster.local"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (LogCapture log = LogCapture.of(ApiServerSource.class);
                ApiServerSource source = new ApiServerSource(api, builder(), store, scheduler, Duration.ofMillis(50))) {
            CompletableFuture<Void> first = source.start();
            assertTrue(log.await(expected, Duration.ofSeconds(10)), "logged: " + expected + "; got " + log.messages());
            assertTrue(log.contains("not ready until everything has been listed"), log.messages().toString());
            assertFalse(first.isDone(), "no snapshot from a partial view of the cluster");
            assertFalse(store.loaded(), "so nothing is enrolled and the proxy is not ready");
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static SnapshotBuilder builder() {
        return new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC());
    }

    @Test
    void anUnreachableApiServerLeavesTheStateUnloadedWhileItRetries() throws Exception {
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
            assertUnreadyAndLogged(unreachable, "cannot reach the API server to list/watch");
        }
    }

    @Test
    void watchErrorsNameWhatToFix() {
        String forbidden = WatchErrors.describe("pods", new KubernetesClientException("forbidden", 403, null));
        assertTrue(forbidden.contains("RBAC") && forbidden.contains("list") && forbidden.contains("watch")
                && forbidden.contains("pods"), forbidden);
        assertTrue(WatchErrors.describe("pods", new KubernetesClientException("no", 401, null)).contains("token"));
        KubernetesClientException missing = new KubernetesClientException("not found", 404, null);
        assertTrue(WatchErrors.notServed(new RuntimeException(missing)), "found under a wrapper");
        assertTrue(WatchErrors.describe("httproutes.gateway.networking.k8s.io", missing).contains("CRD"));
    }
}

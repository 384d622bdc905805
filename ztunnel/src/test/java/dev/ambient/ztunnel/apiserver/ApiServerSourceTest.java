package dev.ambient.ztunnel.apiserver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the API-server source does when the API server is not there or does not allow it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiServerSourceTest {

    @Test
    void anUnreachableApiServerLeavesTheStateUnloadedWhileItRetries() throws Exception {
        StateStore store = new StateStore(MeshSnapshot.empty("cluster.local"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build();
                ApiServerSource source = new ApiServerSource(client, new SnapshotBuilder("cluster.local",
                        "istio-system", "cluster.local", Clock.systemUTC()), store, scheduler, Duration.ofMillis(50))) {
            CompletableFuture<Void> first = source.start();
            Thread.sleep(2000);
            assertFalse(first.isDone(), "no first snapshot without the API server");
            assertFalse(store.loaded(), "so the proxy is not ready, rather than ready with nothing enrolled");
        } finally {
            scheduler.shutdownNow();
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

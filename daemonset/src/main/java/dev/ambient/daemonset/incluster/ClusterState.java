package dev.ambient.daemonset.incluster;

import dev.ambient.ztunnel.apiserver.ApiServerSource;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A proxy's state followed from the API server (its in-cluster service account, or a kubeconfig):
 * the client, the informers and their scheduler, started together and closed together. The store
 * stays unloaded, and the proxy unready, until everything has been listed once.
 */
public final class ClusterState implements AutoCloseable {

    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;
    private final ApiServerSource source;

    private ClusterState(KubernetesClient client, StateStore store, ZtunnelConfig config) {
        this.client = client;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "api-server-state");
            t.setDaemon(true);
            return t;
        });
        this.source = new ApiServerSource(client, new SnapshotBuilder(config.trustDomain(), config.rootNamespace(),
                config.clusterDomain(), Clock.systemUTC()), store, scheduler, Duration.ofMillis(100));
    }

    /** Follows the cluster {@code client} reaches into {@code store}; the state closes the client. */
    public static ClusterState follow(KubernetesClient client, StateStore store, ZtunnelConfig config) {
        ClusterState state = new ClusterState(client, store, config);
        state.source.start();
        return state;
    }

    /** Follows the cluster this process runs in. */
    public static ClusterState follow(StateStore store, ZtunnelConfig config) {
        return follow(new KubernetesClientBuilder().build(), store, config);
    }

    @Override
    public void close() {
        source.close();
        client.close();
        scheduler.shutdownNow();
    }
}

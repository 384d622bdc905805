package dev.ambient.daemonset.incluster;

import dev.ambient.ztunnel.apiserver.ApiServerSource;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
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
    private final boolean ownsClient;
    private final ScheduledExecutorService scheduler;
    private final ApiServerSource source;

    private ClusterState(KubernetesClient client, boolean ownsClient, StateStore store, SnapshotBuilder builder) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "api-server-state");
            t.setDaemon(true);
            return t;
        });
        this.source = new ApiServerSource(client, builder, store, scheduler, Duration.ofMillis(100));
    }

    /** Follows the cluster {@code client} reaches into {@code store}; the caller keeps and closes the client. */
    public static ClusterState follow(KubernetesClient client, StateStore store, SnapshotBuilder builder) {
        return start(new ClusterState(client, false, store, builder));
    }

    /** The same, building snapshots as a proxy configured by {@code config} does. */
    public static ClusterState follow(KubernetesClient client, StateStore store, ZtunnelConfig config) {
        return follow(client, store, builder(config));
    }

    /** Follows the cluster this process runs in, with a client of its own. */
    public static ClusterState follow(StateStore store, ZtunnelConfig config) {
        return start(new ClusterState(new KubernetesClientBuilder().build(), true, store, builder(config)));
    }

    /** Exports the watches' health and the state version to {@code registry} (the proxy's /metrics). */
    public ClusterState withMetrics(MeterRegistry registry) {
        source.bindMetrics(registry);
        return this;
    }

    private static ClusterState start(ClusterState state) {
        state.source.start();
        return state;
    }

    private static SnapshotBuilder builder(ZtunnelConfig config) {
        return new SnapshotBuilder(config.trustDomain(), config.rootNamespace(), config.clusterDomain(),
                Clock.systemUTC());
    }

    @Override
    public void close() {
        source.close();
        if (ownsClient) {
            client.close();
        }
        scheduler.shutdownNow();
    }
}

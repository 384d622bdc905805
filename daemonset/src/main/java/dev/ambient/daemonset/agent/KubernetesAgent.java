package dev.ambient.daemonset.agent;

import dev.ambient.ztunnel.apiserver.ApiServerSource;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The node agent as its DaemonSet runs it: settings from the environment, the state from the API
 * server (the same snapshot builder as the mesh file, so enrolment works the same), every
 * certificate from the CA service. The proxy stays unready until the API server has been listed once,
 * so the node is never half enrolled.
 */
final class KubernetesAgent implements AutoCloseable {

    private final NodeAgent agent;
    private final ApiServerSource source;
    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;

    private KubernetesAgent(NodeAgent agent, ApiServerSource source, KubernetesClient client,
            ScheduledExecutorService scheduler) {
        this.agent = agent;
        this.source = source;
        this.client = client;
        this.scheduler = scheduler;
    }

    static KubernetesAgent start(KubernetesSettings s) {
        String[] caId = s.caIdentity().split("/");
        if (caId.length != 2) {
            throw new IllegalArgumentException("CA_IDENTITY=" + s.caIdentity() + " is not namespace/service-account");
        }
        ZtunnelConfig config = ZtunnelConfig.defaults(s.node(), Path.of("unused"), Path.of("unused")).toBuilder()
                .noMeshFile().trustDomain(s.trustDomain()).drainTimeout(s.drain()).build();
        NodeAgent agent = RemoteCa.startAgent(config, s.bpffs().resolve("ambient").resolve(s.node()), s.podDrain(),
                s.caAddress(), s.caRoot(), s.tokenFile(), SpiffeId.of(s.trustDomain(), caId[0], caId[1]));
        KubernetesClient client = new KubernetesClientBuilder().build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ApiServerSource source = new ApiServerSource(client, new SnapshotBuilder(s.trustDomain(),
                config.rootNamespace(), config.clusterDomain(), Clock.systemUTC()), agent.ztunnel().state(), scheduler,
                Duration.ofMillis(100));
        source.start();
        return new KubernetesAgent(agent, source, client, scheduler);
    }

    NodeAgent agent() {
        return agent;
    }

    void stop(Duration drain) {
        source.close();
        agent.stop(drain);
        client.close();
        scheduler.shutdownNow();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}

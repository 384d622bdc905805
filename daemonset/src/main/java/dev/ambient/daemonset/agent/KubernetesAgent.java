package dev.ambient.daemonset.agent;

import dev.ambient.daemonset.incluster.ClusterState;
import dev.ambient.daemonset.incluster.KubernetesSettings;
import dev.ambient.daemonset.incluster.RemoteCa;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The node agent as its DaemonSet runs it: settings from the environment, the state from the API
 * server (the same snapshot builder as the mesh file, so enrolment works the same), every
 * certificate from the CA service. The proxy stays unready until the API server has been listed once,
 * so the node is never half enrolled.
 */
final class KubernetesAgent implements AutoCloseable {

    private final NodeAgent agent;
    private final ClusterState state;

    private KubernetesAgent(NodeAgent agent, ClusterState state) {
        this.agent = agent;
        this.state = state;
    }

    static KubernetesAgent start(KubernetesSettings s) {
        ZtunnelConfig config = ZtunnelConfig.defaults(s.node(), Path.of("unused"), Path.of("unused")).toBuilder()
                .noMeshFile().trustDomain(s.trustDomain()).drainTimeout(s.drain()).build();
        RemoteCa ca = RemoteCa.connect(s); // a missing root or token stops the agent before it captures anything
        NodeAgent agent = NodeAgent.start(config, s.bpffs().resolve("ambient").resolve(s.node()), s.podDrain(),
                ca.client(), ca.bundle());
        return new KubernetesAgent(agent, ClusterState.follow(agent.ztunnel().state(), config)
                .withMetrics(agent.ztunnel().registry()));
    }

    NodeAgent agent() {
        return agent;
    }

    void stop(Duration drain) {
        state.close();
        agent.stop(drain);
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}

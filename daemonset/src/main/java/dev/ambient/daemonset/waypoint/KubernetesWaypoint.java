package dev.ambient.daemonset.waypoint;

import dev.ambient.daemonset.incluster.ClusterState;
import dev.ambient.daemonset.incluster.KubernetesSettings;
import dev.ambient.daemonset.incluster.RemoteCa;
import dev.ambient.waypoint.proxy.HttpWaypointLayer;
import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A waypoint as its Deployment runs it on a cluster: the same proxy as {@code mesh waypoint}, serving
 * its own pod (downward API), with the state from the API server and its certificate from the CA
 * service, for which its service-account token speaks: a waypoint obtains only its own identity. It is
 * unready until the API server has been listed and its certificate issued.
 */
final class KubernetesWaypoint implements AutoCloseable {

    private final Ztunnel proxy;
    private final ClusterState state;

    private KubernetesWaypoint(Ztunnel proxy, ClusterState state) {
        this.proxy = proxy;
        this.state = state;
    }

    /**
     * Starts the waypoint of pod {@code s.requirePod()} on {@code api} (which the caller closes after
     * stopping it); {@code adjust} may change the proxy's configuration (its addresses, in tests).
     */
    static KubernetesWaypoint start(KubernetesSettings s, KubernetesClient api,
            UnaryOperator<ZtunnelConfig.Builder> adjust) {
        String pod = s.requirePod();
        ZtunnelConfig config = adjust.apply(ZtunnelConfig.defaults(s.node(), Path.of("unused"), Path.of("unused"))
                .toBuilder().noMeshFile().trustDomain(s.trustDomain()).drainTimeout(s.drain()).waypoint(pod)).build();
        RemoteCa ca = RemoteCa.connect(s);
        Ztunnel proxy = Ztunnel.start(config, ca.client(), ca.bundle(), new HttpWaypointLayer());
        return new KubernetesWaypoint(proxy, ClusterState.follow(api, proxy.state(), config)
                .withMetrics(proxy.registry()));
    }

    Ztunnel proxy() {
        return proxy;
    }

    void stop(Duration drain) {
        proxy.drain(drain);
        state.close();
        proxy.close();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}

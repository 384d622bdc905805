package dev.ambient.daemonset.waypoint;

import dev.ambient.daemonset.incluster.KubernetesSettings;
import dev.ambient.daemonset.incluster.Startup;
import dev.ambient.daemonset.process.DedicatedProxy;
import dev.ambient.waypoint.proxy.HttpWaypointLayer;
import dev.ambient.ztunnel.config.Flags;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code mesh waypoint --mesh FILE --pod NAMESPACE/NAME --ca-dir DIR}, or {@code mesh waypoint
 * --kubernetes} in its Deployment ({@link KubernetesWaypoint}): the proxy of a waypoint, run
 * in the network namespace of one of its pods (labelled {@code gateway.networking.k8s.io/gateway-name}
 * with its Gateway's name). It is the same ztunnel, composed to serve that pod: tunnels for the
 * services and pods that use the waypoint arrive at its address and go on to their backends under
 * the waypoint's identity, the only caller those destinations accept. Service ports that speak HTTP
 * get its HTTP layer: authorization, routing and timeouts per request.
 */
public final class WaypointMain {

    private WaypointMain() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, Set.of("mesh", "pod", "ca-dir", "drain-timeout"), Set.of("help", "kubernetes"));
        if (flags.bool("help")) {
            System.out.println("usage: mesh waypoint --mesh FILE --pod NAMESPACE/NAME --ca-dir DIR [--drain-timeout 30s]\n"
                    + "  NAMESPACE/NAME is one of the waypoint's pods; run it in that pod's network namespace\n"
                    + "       mesh waypoint --kubernetes   (in its Deployment: NODE_NAME, POD_NAME, POD_NAMESPACE,\n"
                    + "                                     TRUST_DOMAIN, CA_ADDRESS, CA_IDENTITY, CA_ROOT, TOKEN_FILE,\n"
                    + "                                     DRAIN_TIMEOUT from the environment)");
            return;
        }
        if (flags.bool("kubernetes")) {
            KubernetesSettings settings = Startup.orExit("waypoint",
                    () -> KubernetesSettings.fromEnvironment(System.getenv()));
            Startup.orExit("waypoint", settings::requirePod);
            KubernetesClient api = new KubernetesClientBuilder().build();
            KubernetesWaypoint waypoint = Startup.orExit("waypoint",
                    () -> KubernetesWaypoint.start(settings, api, UnaryOperator.identity()));
            DedicatedProxy.runUntilStopped("waypoint", settings.requirePod(), () -> {
                waypoint.stop(settings.drain());
                api.close();
            });
            return;
        }
        DedicatedProxy.serve("waypoint", flags, b -> b.waypoint(flags.get("pod").orElse("")), new HttpWaypointLayer());
    }
}

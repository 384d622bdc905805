package dev.ambient.daemonset.waypoint;

import dev.ambient.daemonset.process.DedicatedProxy;
import dev.ambient.waypoint.proxy.HttpWaypointLayer;
import dev.ambient.ztunnel.config.Flags;
import java.util.Set;

/**
 * {@code mesh waypoint --mesh FILE --pod NAMESPACE/NAME --ca-dir DIR}: the proxy of a waypoint, run
 * in the network namespace of one of its pods (labelled {@code gateway.networking.k8s.io/gateway-name}
 * with its Gateway's name). It is the same ztunnel, composed to serve that pod: tunnels for the
 * services and pods that use the waypoint arrive at its address and go on to their backends under
 * the waypoint's identity, the only caller those destinations accept. Service ports that speak HTTP
 * get its HTTP layer: authorization, routing and timeouts per request.
 */
public final class WaypointMain {

    private WaypointMain() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, Set.of("mesh", "pod", "ca-dir", "drain-timeout"), Set.of("help"));
        if (flags.bool("help")) {
            System.out.println("usage: mesh waypoint --mesh FILE --pod NAMESPACE/NAME --ca-dir DIR [--drain-timeout 30s]\n"
                    + "  NAMESPACE/NAME is one of the waypoint's pods; run it in that pod's network namespace");
            return;
        }
        DedicatedProxy.serve("waypoint", flags, b -> b.waypoint(flags.get("pod").orElse("")), new HttpWaypointLayer());
    }
}

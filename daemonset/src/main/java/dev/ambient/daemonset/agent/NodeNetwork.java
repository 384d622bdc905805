package dev.ambient.daemonset.agent;

import dev.ambient.sys.Interfaces;
import dev.ambient.sys.RouteNetlink;
import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

/**
 * What the node's own network namespace says about its devices and pod routes, asked through
 * rtnetlink and the kernel's device list (no process per question: the reconciler asks every second).
 */
final class NodeNetwork {

    private NodeNetwork() {}

    /** The device the node routes {@code podIp} to, when that is a local device (the pod's veth). */
    static Optional<String> deviceFor(Inet4Address podIp) {
        return RouteNetlink.lookup(podIp)
                .filter(route -> !route.viaGateway()) // routed to another node: not a pod of this node
                .flatMap(route -> Interfaces.name(route.outputIndex()));
    }

    /** Every device except loopback. */
    static List<String> devices() {
        return Interfaces.all();
    }
}

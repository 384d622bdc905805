package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Where an outbound connection goes, decided from one snapshot before any byte moves. */
public sealed interface OutboundRoute {

    /** To a workload in the mesh: through HBONE to its node, proving the source's identity. */
    record Tunnel(Workload destination, InetSocketAddress authority, String service) implements OutboundRoute {}

    /**
     * To the waypoint that serves the destination: through HBONE to one of the waypoint's pods, which
     * picks the backend itself; the CONNECT authority stays the original destination.
     */
    record ViaWaypoint(Waypoint waypoint, Workload endpoint, InetSocketAddress authority, String service)
            implements OutboundRoute {}

    /** To a destination outside the mesh: plain TCP, as without a mesh. */
    record Direct(InetSocketAddress address, Optional<Workload> destination, String service) implements OutboundRoute {}

    /** Nowhere: the connection is refused, with the reason for the operator. */
    record Refused(String reason) implements OutboundRoute {}
}

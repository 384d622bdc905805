package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * What a waypoint does above TCP with a tunnel addressed through it: the HTTP layer takes the
 * tunnels whose destination speaks HTTP and leaves the rest to the TCP path ({@link WaypointInbound}).
 * The ztunnel module has no HTTP layer of its own; the waypoint module provides one.
 */
@FunctionalInterface
public interface WaypointLayer {

    /** Takes no tunnel: everything goes the TCP way. */
    WaypointLayer NONE = (request, waypoint, context) -> false;

    /**
     * What the layer may use: the state the tunnel was resolved against, the waypoint's own pod (its
     * identity), the HBONE pool to reach backends, the metrics registry, the HBONE port, and the TCP
     * path for a tunnel it accepted and then found not to carry HTTP.
     */
    record Context(MeshSnapshot snapshot, Workload self, HbonePool pool, PrometheusMeterRegistry registry,
            int hbonePort, PassThrough tcp) {}

    /** The TCP path, taken after the layer already answered the tunnel and read its first bytes. */
    @FunctionalInterface
    interface PassThrough {
        /**
         * Tunnels {@code request} on to its backend as bytes: {@code sniffed} (owned by the callee) goes
         * first, then whatever the stream still carries; {@code ended} when the client already closed
         * its direction.
         */
        void tcp(InboundRequest request, ByteBuf sniffed, boolean ended);
    }

    /** True when the layer took the tunnel (and will answer it); false leaves it to the TCP path. */
    boolean accept(InboundRequest request, Waypoint waypoint, Context context);

    /** What the layer enforces for {@code waypoint} in {@code snapshot}, for {@code /config_dump}; empty for none. */
    default Map<String, Object> configDump(MeshSnapshot snapshot, Waypoint waypoint) {
        return Map.of();
    }
}

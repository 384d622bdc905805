package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.hbone.HboneException;
import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.hbone.HboneTarget;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import dev.ambient.ztunnel.telemetry.ConnectionInfo;
import dev.ambient.ztunnel.telemetry.ConnectionInfo.Reporter;
import dev.ambient.ztunnel.telemetry.ProxyMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The waypoint's side of a tunnel: HBONE arriving at a waypoint's pod for a destination the
 * waypoint serves (the CONNECT authority is the original destination, not the pod) is tunnelled on
 * to the backend, a service's ready endpoint or the addressed pod, proving the waypoint's identity.
 * The destination's node accepts it because it comes from the waypoint. This is the waypoint's TCP
 * path; the HTTP layer decides per request on top of the same resolution.
 */
public final class WaypointInbound {

    private static final Logger LOG = System.getLogger(WaypointInbound.class.getName());

    private final StateStore state;
    private final HbonePool pool;
    private final ProxyMetrics metrics;
    private final LiveConnections live;
    private final OutboundRouter router = new OutboundRouter();
    private final int hbonePort;
    private final WaypointLayer layer;
    private final PrometheusMeterRegistry registry;

    /** {@code layer} sees every tunnel first and takes those it handles above TCP. */
    public WaypointInbound(StateStore state, HbonePool pool, ProxyMetrics metrics, LiveConnections live, int hbonePort,
            WaypointLayer layer, PrometheusMeterRegistry registry) {
        this.state = state;
        this.pool = pool;
        this.metrics = metrics;
        this.live = live;
        this.hbonePort = hbonePort;
        this.layer = layer;
        this.registry = registry;
    }

    /** The waypoint whose pod owns {@code request}'s local address, when the tunnel is meant for it to pass on. */
    public static Optional<Waypoint> servedBy(MeshSnapshot snapshot, InboundRequest request) {
        if (request.authority().getAddress().equals(request.localAddress().getAddress())) {
            return Optional.empty(); // addressed to the pod itself (its admin, a probe): not a waypoint tunnel
        }
        return snapshot.workload(request.localAddress().getAddress())
                .flatMap(pod -> snapshot.waypoints().stream().filter(w -> w.runsAs(pod)).findFirst());
    }

    public void accept(InboundRequest request, Waypoint waypoint) {
        long start = System.nanoTime();
        MeshSnapshot snapshot = state.current();
        InetSocketAddress destination = request.authority();
        Workload self = snapshot.workload(request.localAddress().getAddress()).orElseThrow(
                () -> new IllegalStateException("BUG: the waypoint pod left the state between two reads"));
        if (!serves(snapshot, waypoint, destination)) {
            refuse(request, null, 400, destination, Optional.empty(), "waypoint " + waypoint.key() + " does not serve "
                    + destination + " (no service or pod there uses it)", start);
            return;
        }
        WaypointLayer.Context context = new WaypointLayer.Context(snapshot, self, pool, registry, hbonePort,
                (accepted, sniffed, ended) -> tunnel(accepted, snapshot, self, accepted.stream().newSucceededFuture(),
                        Optional.of(sniffed), ended, start));
        if (layer.accept(request, waypoint, context)) {
            return;
        }
        tunnel(request, snapshot, self, null, Optional.empty(), request.endStream(), start);
    }

    /**
     * Tunnels the request on to the backend its authority resolves to. {@code answered} is null while
     * the client still waits for an answer (a failure then refuses the tunnel with a status); otherwise
     * the tunnel is up, {@code sniffed} bytes were read from it already, and a failure resets it.
     */
    private void tunnel(InboundRequest request, MeshSnapshot snapshot, Workload self, ChannelFuture answered,
            Optional<ByteBuf> sniffed, boolean ended, long start) {
        InetSocketAddress destination = request.authority();
        OutboundRoute route = router.routeFromWaypoint(snapshot, destination);
        if (!(route instanceof OutboundRoute.Tunnel tunnel)) {
            String why = route instanceof OutboundRoute.Refused r ? r.reason()
                    : destination + " is outside the mesh; a waypoint reaches backends over HBONE only";
            sniffed.ifPresent(ByteBuf::release);
            refuse(request, answered, 503, destination, Optional.empty(), why, start);
            return;
        }
        Workload backend = tunnel.destination();
        InetSocketAddress hbone = new InetSocketAddress(backend.ip(), hbonePort);
        ConnectionInfo info = new ConnectionInfo(Reporter.DESTINATION, request.peerAddress(), Optional.empty(),
                Optional.of(request.peer()), tunnel.authority(), Optional.of(backend), Optional.of(backend.identity()),
                Optional.of(hbone), tunnel.service(), true);
        HboneTarget target = new HboneTarget(self.identity(), backend.identity(), hbone, tunnel.authority(),
                request.peerAddress(), "");
        pool.open(target, request.stream().eventLoop()).addListener(f -> {
            if (!f.isSuccess()) {
                String why = f.cause() instanceof HboneException h ? h.getMessage() : String.valueOf(f.cause());
                sniffed.ifPresent(ByteBuf::release);
                refuse(request, answered, 503, destination, Optional.of(info), "cannot reach " + backend.key() + ": "
                        + why, start);
                return;
            }
            Http2StreamChannel upstream = (Http2StreamChannel) f.getNow();
            if (!request.stream().isActive()) {
                sniffed.ifPresent(ByteBuf::release);
                upstream.close();
                return;
            }
            ProxySession.relayAfter(answered == null ? request.accept() : answered, request.stream(), upstream,
                    sniffed, ended, info, metrics, live, Optional.empty(), start);
        });
    }

    /** Whether the destination, as addressed, is bound to {@code waypoint}. */
    static boolean serves(MeshSnapshot snapshot, Waypoint waypoint, InetSocketAddress destination) {
        Optional<MeshService> service = snapshot.service(destination.getAddress());
        if (service.isPresent()) {
            return snapshot.waypointForService(service.get()).filter(waypoint::equals).isPresent();
        }
        return snapshot.workload(destination.getAddress()).flatMap(snapshot::waypointForWorkload)
                .filter(waypoint::equals).isPresent();
    }

    private void refuse(InboundRequest request, ChannelFuture answered, int status, InetSocketAddress destination,
            Optional<ConnectionInfo> known, String why, long start) {
        LOG.log(Level.INFO, "waypoint refused " + request.peer() + " -> " + destination + " with " + status + ": " + why);
        ConnectionInfo info = known.orElseGet(() -> new ConnectionInfo(Reporter.DESTINATION, request.peerAddress(),
                Optional.empty(), Optional.of(request.peer()), destination, Optional.empty(), Optional.empty(),
                Optional.empty(), "", true));
        ProxySession.refused(info, metrics, new ProxyException(status == 400 ? ProxyException.Reason.NO_ROUTE
                : ProxyException.Reason.UNREACHABLE, why), start);
        if (answered == null) {
            request.refuse(status);
        } else {
            request.stream().close(); // already answered 200: the reset is the only way left to say no
        }
    }
}

package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.hbone.HboneException;
import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.hbone.HboneTarget;
import dev.ambient.ztunnel.relay.StreamEnd;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.ProxyScope;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.state.Workload;
import dev.ambient.ztunnel.telemetry.ConnectionInfo.Reporter;
import dev.ambient.ztunnel.telemetry.ConnectionInfo;
import dev.ambient.ztunnel.telemetry.ProxyMetrics;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The source side of the mesh: given a local workload's connection and its original destination, it
 * opens the upstream. Mesh destinations are reached only through HBONE with the source workload's
 * identity, checking the destination's identity before any byte; others are dialled directly.
 */
public final class OutboundProxy {

    private final ProxyScope scope;
    private final String clusterName;
    private final StateStore state;
    private final OutboundRouter router = new OutboundRouter();
    private final HbonePool pool;
    private final TcpDialer dialer;
    private final ProxyMetrics metrics;
    private final LiveConnections live;
    private final int hbonePort;

    public OutboundProxy(ProxyScope scope, String clusterName, StateStore state, HbonePool pool, TcpDialer dialer,
            ProxyMetrics metrics, LiveConnections live, int hbonePort) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
        this.state = Objects.requireNonNull(state, "state");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.live = Objects.requireNonNull(live, "live");
        this.hbonePort = hbonePort;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    LiveConnections live() {
        return live;
    }

    public StateStore state() {
        return state;
    }

    /** The enrolled workload this proxy serves that owns {@code address}, if any. */
    public Optional<Workload> localSource(MeshSnapshot snapshot, InetAddress address) {
        return snapshot.workload(address).filter(w -> scope.serves(w) && w.inMesh());
    }

    /** Any workload this proxy serves that owns {@code address}, enrolled or not. */
    public Optional<Workload> localWorkload(MeshSnapshot snapshot, InetAddress address) {
        return snapshot.workload(address).filter(scope::serves);
    }

    /** Enrolled workloads on this node; a dedicated (sidecar) proxy has exactly one. */
    public java.util.List<Workload> localWorkloads(MeshSnapshot snapshot) {
        return scope.served(snapshot).stream().filter(Workload::inMesh).toList();
    }

    /**
     * Opens the upstream for {@code downstream}, coming from {@code source}, to {@code destination}.
     * The future completes on the downstream's event loop; a failure is a {@link ProxyException}
     * that has already been counted and logged.
     */
    public Future<OutboundSession> open(Channel downstream, Workload source, InetSocketAddress destination) {
        long start = System.nanoTime();
        EventLoop loop = downstream.eventLoop();
        Promise<OutboundSession> result = loop.newPromise();
        InetSocketAddress client = (InetSocketAddress) downstream.remoteAddress();
        MeshSnapshot snapshot = state.current();
        OutboundRoute route = router.route(snapshot, destination);
        if (!source.inMesh() && route instanceof OutboundRoute.Tunnel t) {
            // A source outside the mesh has no identity to prove: it calls as it would without a mesh.
            route = new OutboundRoute.Direct(t.authority(), Optional.of(t.destination()), t.service());
        } else if (!source.inMesh() && route instanceof OutboundRoute.ViaWaypoint w) {
            route = new OutboundRoute.Refused(source.key() + " is outside the mesh and cannot reach "
                    + w.authority() + " through its waypoint " + w.waypoint().key() + ", which only takes HBONE");
        }
        switch (route) {
            case OutboundRoute.Refused refused -> fail(result, info(client, source, destination, Optional.empty(),
                    Optional.empty(), ""), new ProxyException(ProxyException.Reason.NO_ROUTE, refused.reason()), start);
            case OutboundRoute.Direct direct -> {
                ConnectionInfo info = info(client, source, direct.address(), direct.destination(), Optional.empty(),
                        direct.service());
                dialer.connect(loop, direct.address(), Optional.of(client.getAddress())).addListener(f -> {
                    Channel upstream = ((io.netty.channel.ChannelFuture) f).channel();
                    if (f.isSuccess()) {
                        result.setSuccess(new OutboundSession(downstream, StreamEnd.of(upstream), info, this, start));
                    } else {
                        fail(result, info, new ProxyException(ProxyException.Reason.UNREACHABLE, "cannot connect to "
                                + direct.address() + ": " + f.cause().getMessage(), f.cause()), start);
                    }
                });
            }
            // To the waypoint's pod, which proves the waypoint's identity; the authority stays the original destination.
            case OutboundRoute.ViaWaypoint via ->
                    tunnel(downstream, source, via.endpoint(), via.authority(), via.service(), result, start);
            case OutboundRoute.Tunnel tunnel when scope.serves(tunnel.destination()) ->
                    openOnThisNode(downstream, source, tunnel, snapshot, result, start);
            case OutboundRoute.Tunnel tunnel ->
                    tunnel(downstream, source, tunnel.destination(), tunnel.authority(), tunnel.service(), result, start);
        }
        return result;
    }

    /**
     * Opens an HBONE stream to {@code peer}'s node (or, for a waypoint, its own pod) for
     * {@code authority}, expecting {@code peer}'s identity, and completes {@code result} with the session.
     */
    private void tunnel(Channel downstream, Workload source, Workload peer, InetSocketAddress authority, String service,
            Promise<OutboundSession> result, long start) {
        InetSocketAddress client = (InetSocketAddress) downstream.remoteAddress();
        InetSocketAddress hbone = new InetSocketAddress(peer.ip(), hbonePort);
        ConnectionInfo info = info(client, source, authority, Optional.of(peer), Optional.of(hbone), service);
        HboneTarget target = new HboneTarget(source.identity(), peer.identity(), hbone, authority, client,
                baggage(source));
        pool.open(target, downstream.eventLoop()).addListener(f -> {
            if (f.isSuccess()) {
                Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                result.setSuccess(new OutboundSession(downstream, StreamEnd.of(stream), info, this, start));
            } else {
                HboneException e = f.cause() instanceof HboneException h ? h
                        : new HboneException(String.valueOf(f.cause().getMessage()), f.cause());
                ProxyException.Reason reason = e.status() == 401 ? ProxyException.Reason.DENIED
                        : e.status() > 0 ? ProxyException.Reason.TUNNEL_FAILED : ProxyException.Reason.UNREACHABLE;
                fail(result, info, new ProxyException(reason, e.getMessage(), e), start);
            }
        });
    }

    /**
     * Both ends on this node: the source's identity is proven by capture on its own veth, so the
     * destination's policy is checked here and the workload dialled directly; the bytes never leave
     * the node, so there is no tunnel to build (a tunnel to a local pod would have nowhere to land).
     */
    private void openOnThisNode(Channel downstream, Workload source, OutboundRoute.Tunnel tunnel, MeshSnapshot snapshot,
            Promise<OutboundSession> result, long start) {
        InetSocketAddress client = (InetSocketAddress) downstream.remoteAddress();
        Workload dst = tunnel.destination();
        ConnectionInfo info = new ConnectionInfo(Reporter.SOURCE, client, Optional.of(source),
                Optional.of(source.identity()), tunnel.authority(), Optional.of(dst), Optional.of(dst.identity()),
                Optional.empty(), tunnel.service(), false);
        InboundAuthorization authz = new InboundAuthorization(Optional.of(source.identity()), client.getAddress(),
                tunnel.authority(), dst.key());
        var decision = authz.check(snapshot, dst);
        if (!decision.allowed()) {
            fail(result, info, new ProxyException(ProxyException.Reason.DENIED, decision.reason()), start);
            return;
        }
        dialer.connect(downstream.eventLoop(), tunnel.authority(), Optional.of(client.getAddress())).addListener(f -> {
            Channel upstream = ((io.netty.channel.ChannelFuture) f).channel();
            if (f.isSuccess()) {
                result.setSuccess(new OutboundSession(downstream, StreamEnd.of(upstream), info, this, start,
                        Optional.of(authz.recheck())));
            } else {
                fail(result, info, new ProxyException(ProxyException.Reason.UNREACHABLE, "cannot connect to "
                        + tunnel.authority() + ": " + f.cause().getMessage(), f.cause()), start);
            }
        });
    }

    private ConnectionInfo info(InetSocketAddress client, Workload source, InetSocketAddress destination,
            Optional<Workload> dst, Optional<InetSocketAddress> hbone, String service) {
        return new ConnectionInfo(Reporter.SOURCE, client, Optional.of(source),
                hbone.isPresent() ? Optional.of(source.identity()) : Optional.empty(), destination, dst,
                hbone.isPresent() ? dst.map(Workload::identity) : Optional.empty(), hbone, service, hbone.isPresent());
    }

    private void fail(Promise<OutboundSession> result, ConnectionInfo info, ProxyException error, long start) {
        ProxySession.refused(info, metrics, error, start);
        result.setFailure(error);
    }

    /** W3C baggage describing the caller, as Istio sends it, for the peer's telemetry. */
    private String baggage(Workload source) {
        return "k8s.cluster.name=" + clusterName + ",k8s.namespace.name=" + source.namespace()
                + ",k8s.pod.name=" + source.name() + ",service.name=" + source.canonicalName()
                + ",service.version=" + source.canonicalRevision();
    }
}

package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.peerauth.PeerAuthentications;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.ProxyScope;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.state.Workload;
import dev.ambient.ztunnel.telemetry.ConnectionInfo;
import dev.ambient.ztunnel.telemetry.ConnectionInfo.Reporter;
import dev.ambient.ztunnel.telemetry.ProxyMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The destination side of the mesh: checks that a tunnel (or a plaintext connection) is for a
 * workload this node serves, authorizes it, and only then dials the workload. Denied connections
 * never cause a dial.
 */
public final class InboundProxy {

    private static final Logger LOG = System.getLogger(InboundProxy.class.getName());

    private final ProxyScope scope;
    private final StateStore state;
    private final TcpDialer dialer;
    private final ProxyMetrics metrics;
    private final LiveConnections live;

    public InboundProxy(ProxyScope scope, StateStore state, TcpDialer dialer, ProxyMetrics metrics, LiveConnections live) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.state = Objects.requireNonNull(state, "state");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.live = Objects.requireNonNull(live, "live");
    }

    /** Handles one HBONE CONNECT: 400 for a destination this node does not serve, 401 denied, 503 unreachable. */
    public void accept(InboundRequest request) {
        long start = System.nanoTime();
        MeshSnapshot snapshot = state.current();
        InetSocketAddress destination = request.authority();
        ConnectionInfo unknown = info(request.peerAddress(), Optional.of(request), destination, Optional.empty(), snapshot);
        if (!destination.getAddress().equals(request.localAddress().getAddress())) {
            refuse(request, 400, unknown, new ProxyException(ProxyException.Reason.NO_ROUTE, "CONNECT authority "
                    + destination + " differs from the tunnel's destination " + request.localAddress()), start);
            return;
        }
        Optional<Workload> target = snapshot.workload(destination.getAddress());
        if (target.isEmpty()) {
            refuse(request, 503, unknown, new ProxyException(ProxyException.Reason.NO_ROUTE,
                    "no workload has address " + destination.getAddress().getHostAddress()), start);
            return;
        }
        Workload workload = target.get();
        ConnectionInfo info = info(request.peerAddress(), Optional.of(request), destination, target, snapshot);
        if (!scope.serves(workload) || !workload.inMesh()) {
            refuse(request, 400, info, new ProxyException(ProxyException.Reason.NO_ROUTE, "workload " + workload.key()
                    + (workload.inMesh() ? " is not served by this proxy (" + scope + ")"
                            : " is not enrolled in the mesh")), start);
            return;
        }
        InboundAuthorization authz = new InboundAuthorization(Optional.of(request.peer()),
                request.peerAddress().getAddress(), destination, workload.key());
        Decision decision = authz.check(snapshot, workload);
        if (!decision.allowed()) {
            refuse(request, 401, info, new ProxyException(ProxyException.Reason.DENIED, decision.reason()), start);
            return;
        }
        deliver(request.stream(), destination, info, authz, start,
                error -> refuse(request, 503, info, error, start), request::accept, request.endStream());
    }

    /**
     * Handles a plaintext connection captured on its way into a local workload (port 15006): policy
     * sees no identity; a refused connection is closed without a dial.
     */
    public void acceptPlaintext(Channel downstream, InetSocketAddress destination) {
        long start = System.nanoTime();
        MeshSnapshot snapshot = state.current();
        InetSocketAddress source = (InetSocketAddress) downstream.remoteAddress();
        Optional<Workload> target = snapshot.workload(destination.getAddress())
                .filter(scope::serves);
        ConnectionInfo info = info(source, Optional.empty(), destination, target, snapshot);
        if (target.isEmpty()) {
            ProxySession.refused(info, metrics, new ProxyException(ProxyException.Reason.NO_ROUTE, "no workload served by "
                    + scope + " has address " + destination.getAddress().getHostAddress()), start);
            downstream.close();
            return;
        }
        PeerAuthentications.Resolution mtls = snapshot.peerAuthentications().resolve(target.get(), destination.getPort());
        if (!mtls.mode().acceptsPlaintext()) {
            ProxySession.refused(info, metrics, new ProxyException(ProxyException.Reason.DENIED, "plaintext refused: "
                    + "PeerAuthentication " + mtls.policy() + " requires mutual TLS for " + target.get().key()), start);
            downstream.close();
            return;
        }
        InboundAuthorization authz = new InboundAuthorization(Optional.empty(), source.getAddress(), destination,
                target.get().key());
        Decision decision = authz.check(snapshot, target.get());
        if (!decision.allowed()) {
            ProxySession.refused(info, metrics, new ProxyException(ProxyException.Reason.DENIED, decision.reason()), start);
            downstream.close();
            return;
        }
        deliver(downstream, destination, info, authz, start, error -> {
            ProxySession.refused(info, metrics, error, start);
            downstream.close();
        }, downstream::newSucceededFuture, false);
    }

    /**
     * Dials the workload on the downstream's loop. On success {@code answer} tells the client (the
     * HBONE 200) and the relay starts only once that answer is written, so no tunnelled byte can
     * precede it.
     */
    private void deliver(Channel downstream, InetSocketAddress destination, ConnectionInfo info,
            InboundAuthorization authz, long start, Consumer<ProxyException> onFailure,
            Supplier<ChannelFuture> answer, boolean downstreamEnded) {
        // The workload sees the original client when sources are preserved (capture brings replies back).
        ChannelFuture dial = dialer.connect(downstream.eventLoop(), destination, Optional.of(authz.sourceIp()));
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                onFailure.accept(new ProxyException(ProxyException.Reason.UNREACHABLE, "cannot deliver to workload at "
                        + destination + ": " + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel upstream = dial.channel();
            if (!downstream.isActive()) {
                upstream.close();
                return;
            }
            ProxySession.relayAfter(answer.get(), downstream, upstream, Optional.empty(), downstreamEnded, info,
                    metrics, live, Optional.of(authz.recheck()), start);
        });
    }

    private void refuse(InboundRequest request, int status, ConnectionInfo info, ProxyException error, long start) {
        LOG.log(Level.DEBUG, "HBONE CONNECT from " + request.peer() + " refused with " + status + ": " + error.getMessage());
        ProxySession.refused(info, metrics, error, start);
        request.refuse(status);
    }

    private ConnectionInfo info(InetSocketAddress source, Optional<InboundRequest> request,
            InetSocketAddress destination, Optional<Workload> target, MeshSnapshot snapshot) {
        Optional<Workload> sourceWorkload = request.isPresent() ? Optional.empty()
                : snapshot.workload(source.getAddress());
        String service = target.flatMap(w -> snapshot.servicesOf(w).stream().findFirst())
                .map(s -> s.hostname(snapshot.clusterDomain())).orElse("");
        return new ConnectionInfo(Reporter.DESTINATION, source, sourceWorkload, request.map(InboundRequest::peer),
                destination, target, target.filter(w -> request.isPresent()).map(Workload::identity),
                Optional.empty(), service, request.isPresent());
    }
}

package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.authz.RequestFacts;
import dev.ambient.waypoint.detect.Protocol;
import dev.ambient.waypoint.detect.ProtocolDetector;
import dev.ambient.waypoint.tunnel.StreamBytes;
import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.ServicePort;
import dev.ambient.ztunnel.state.Waypoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The waypoint's layer above TCP. Every tunnel is authorized first; then what it carries decides:
 * a port named {@code http...}, {@code http2...} or {@code grpc...} (Istio's explicit protocol
 * selection) is HTTP, read as HTTP/1.1 or HTTP/2 by its first bytes; a port named {@code tcp...},
 * {@code tls...}, {@code https...} or for a known non-HTTP protocol is TCP; any other port is
 * detected: HTTP if its first bytes are, else passed on as TCP. HTTP is served request by request
 * ({@link RequestHandler}); TCP goes the ztunnel way, under the policies that can judge it without
 * HTTP (an ALLOW rule naming methods or paths does not match it, a DENY rule does).
 */
public final class HttpWaypointLayer implements WaypointLayer {

    private static final Logger LOG = System.getLogger(HttpWaypointLayer.class.getName());

    /** Largest request body kept so that a failed attempt can be retried; larger ones stream, unretried. */
    public static final int MAX_REPLAY_BYTES = 1 << 20;

    /** How long a tunnel on an undeclared port may stay silent before it is taken for a server-first protocol. */
    static final Duration DETECTION_PATIENCE = Duration.ofSeconds(1);

    /** How a service port declares its protocol. */
    enum Declared { HTTP, TCP, UNKNOWN }

    private final AtomicReference<L7Config> config = new AtomicReference<>();
    private final Shared shared = Shared.create();
    private final AtomicReference<RequestTelemetry> telemetry = new AtomicReference<>();

    @Override
    public boolean accept(InboundRequest request, Waypoint waypoint, Context context) {
        L7Config l7 = current(context, waypoint);
        Optional<MeshService> service = context.snapshot().service(request.authority().getAddress());
        String host = service.map(s -> s.hostname(context.snapshot().clusterDomain())).orElse("");
        Declared declared = service.flatMap(s -> s.port(request.authority().getPort()))
                .map(HttpWaypointLayer::declared).orElse(Declared.TCP);
        if (declared == Declared.TCP) {
            if (!allowsTcp(l7, request, host)) {
                request.refuse(401);
                return true;
            }
            return false;
        }
        RequestTelemetry telemetry = telemetry(context);
        request.accept().addListener(f -> {
            if (!f.isSuccess()) {
                request.stream().close();
                return;
            }
            ChannelPipeline p = request.stream().pipeline();
            p.addLast("stream-bytes", new StreamBytes());
            p.addLast("detect", new ProtocolDetector(
                    declared == Declared.HTTP ? Optional.empty() : Optional.of(DETECTION_PATIENCE),
                    declared == Declared.HTTP ? Protocol.HTTP1 : Protocol.OPAQUE,
                    (ctx, protocol, held, ended) -> serve(ctx, protocol == Protocol.OPAQUE && declared == Declared.HTTP
                            ? Protocol.HTTP1 : protocol, held, ended, request, service, l7, context, telemetry)));
            request.stream().read();
        });
        return true;
    }

    private void serve(ChannelHandlerContext ctx, Protocol protocol, ByteBuf held, boolean ended,
            InboundRequest request, Optional<MeshService> service, L7Config l7, Context context,
            RequestTelemetry telemetry) {
        ChannelPipeline p = ctx.pipeline();
        if (protocol == Protocol.OPAQUE) {
            if (!allowsTcp(l7, request, service.map(s -> s.hostname(context.snapshot().clusterDomain())).orElse(""))) {
                held.release();
                request.stream().close();
                return;
            }
            p.remove(StreamBytes.class);
            context.tcp().tcp(request, held, ended);
            return;
        }
        if (protocol == Protocol.HTTP1) {
            DownstreamCodecs.http1(p, new RequestHandler(request, service.get(), l7, context, shared, telemetry,
                    Protocol.HTTP1));
        } else {
            DownstreamCodecs.http2(p, () -> new RequestHandler(request, service.get(), l7, context, shared, telemetry,
                    Protocol.HTTP2));
            request.stream().config().setAutoRead(true); // streams are flow-controlled one by one
        }
        ChannelHandlerContext bytes = p.context(StreamBytes.class);
        if (held.isReadable()) {
            bytes.fireChannelRead(held);
        } else {
            held.release();
        }
        if (ended) {
            bytes.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        if (protocol == Protocol.HTTP1) {
            bytes.fireChannelReadComplete();
        }
    }

    private static boolean allowsTcp(L7Config l7, InboundRequest request, String host) {
        Decision d = l7.authorizer().authorize(RequestFacts.opaque(Optional.of(request.peer().principal()),
                request.peer().namespace(), host));
        if (d.denied()) {
            LOG.log(Level.INFO, "waypoint denied TCP from " + request.peer() + " to " + request.authority() + ": "
                    + d.reason());
        }
        return !d.denied();
    }

    @Override
    public Map<String, Object> configDump(MeshSnapshot snapshot, Waypoint waypoint) {
        return L7ConfigDump.render(L7Config.of(snapshot, waypoint));
    }

    static Declared declared(ServicePort port) {
        String name = port.name().toLowerCase(java.util.Locale.ROOT);
        String prefix = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        return switch (prefix) {
            case "http", "http2", "grpc" -> Declared.HTTP;
            case "tcp", "tls", "https", "mongo", "mysql", "redis", "udp" -> Declared.TCP;
            default -> Declared.UNKNOWN;
        };
    }

    /** One for the waypoint's registry, so its meters are found again without building their ids. */
    private RequestTelemetry telemetry(Context context) {
        RequestTelemetry t = telemetry.get();
        if (t == null || t.registry() != context.registry()) {
            t = new RequestTelemetry(context.registry());
            telemetry.set(t);
        }
        return t;
    }

    /** Parsed once per snapshot version, not per request. */
    private L7Config current(Context context, Waypoint waypoint) {
        L7Config c = config.get();
        if (c == null || c.version() != context.snapshot().version()) {
            c = L7Config.of(context.snapshot(), waypoint);
            config.set(c);
        }
        return c;
    }
}

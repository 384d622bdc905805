package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.circuit.BackendPolicy;
import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.detect.Protocol;
import dev.ambient.waypoint.tunnel.GracefulEnd;
import dev.ambient.ztunnel.hbone.HboneTarget;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.proxy.OutboundRoute;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The requests of one client channel: an HTTP/1.1 connection inside a tunnel (requests one after
 * another; pipelined ones wait their turn) or one HTTP/2 stream (one request). Each request head goes
 * through {@link Admission}; a request it answers has its body read and dropped, one it passes becomes
 * an {@link Exchange} that streams the body on. Reading is manual throughout: the exchange pulls the
 * body as the upstream takes it, and the next request is read only when this one is answered.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(RequestHandler.class.getName());
    private static final SplittableRandom SEEDS = new SplittableRandom();

    private final InboundRequest tunnel;
    private final String serviceHost;
    private final L7Config config;
    private final WaypointLayer.Context context;
    private final Shared shared;
    private final RequestTelemetry telemetry;
    private final Protocol protocol;
    private final SplittableRandom random;
    private final Deque<Object> backlog = new ArrayDeque<>();
    private Exchange exchange;
    private boolean serving;
    private boolean discarding;
    private boolean lastSeen;
    private boolean closing;
    private Channel upgradedTo;
    private Runnable afterDiscard;

    RequestHandler(InboundRequest tunnel, MeshService service, L7Config config, WaypointLayer.Context context,
            Shared shared, RequestTelemetry telemetry, Protocol protocol) {
        this.tunnel = tunnel;
        this.config = config;
        this.context = context;
        this.shared = shared;
        this.telemetry = telemetry;
        this.protocol = protocol;
        this.serviceHost = service.hostname(context.snapshot().clusterDomain());
        synchronized (SEEDS) {
            this.random = SEEDS.split();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // the connection is ending: no new request starts
            return;
        }
        if (upgradedTo != null) {
            if (msg instanceof ByteBuf bytes) {
                upgradedTo.writeAndFlush(new DefaultHttp2DataFrame(bytes, false)); // before the splice takes over
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (serving || !backlog.isEmpty()) {
            if (msg instanceof HttpContent c && backlog.isEmpty() && (exchange != null || discarding)) {
                body(c);
            } else {
                backlog.add(msg); // a pipelined request: its turn comes when this one is answered
            }
            return;
        }
        handle(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.pullRequest();
        } else if (discarding || !serving) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.downstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.downstreamGone();
        }
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "waypoint request channel from " + tunnel.peer() + " failed: " + cause);
        ctx.close();
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ReferenceCountUtil.release(msg); // the rest of a body already answered
            return;
        }
        long start = System.nanoTime();
        serving = true;
        lastSeen = request instanceof FullHttpRequest;
        boolean keepAlive = protocol == Protocol.HTTP2 || HttpUtil.isKeepAlive(request);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        Optional<String> upgrade = protocol == Protocol.HTTP1 ? Upgrade.requested(request.headers()) : Optional.empty();
        HttpRequest head = request instanceof FullHttpRequest ? new DefaultHttpRequest(request.protocolVersion(),
                request.method(), request.uri(), request.headers()) : request;
        Optional<LastHttpContent> whole = request instanceof FullHttpRequest full
                ? Optional.of(new DefaultLastHttpContent(full.content(), full.trailingHeaders())) : Optional.empty();
        String method = head.method().name();
        String path = printable(head.uri());
        Admission.Verdict verdict = Admission.admit(head, tunnel.peer(), serviceHost, tunnel.authority().getPort(),
                config, shared.limiters(), random);
        String requestId = String.valueOf(head.headers().get(TraceHeaders.REQUEST_ID));
        String trace = String.valueOf(head.headers().get(TraceHeaders.TRACEPARENT));
        java.util.function.Consumer<Exchange.Outcome> done = o -> {
            telemetry.record(new RequestTelemetry.Request(tunnel.peer(), serviceHost, protocolName(head), method, path,
                    requestId, trace, o.status(), o.flags(), o.endpoint(), o.attempts(), o.requestBytes(),
                    o.responseBytes(), start));
            if (o.upgradedTo().isPresent()) {
                upgradedTo = o.upgradedTo().get(); // no more HTTP on this connection
                return;
            }
            served(ctx, o.clean() && keepAlive && (lastSeen || protocol == Protocol.HTTP1));
        };
        if (verdict instanceof Admission.Reply reply) {
            FullHttpResponse response = Replies.of(ctx.alloc(), reply, Replies.grpc(head.headers()));
            if (protocol == Protocol.HTTP1) {
                HttpUtil.setKeepAlive(response, keepAlive);
            }
            ctx.writeAndFlush(response);
            discard(whole, () -> done.accept(new Exchange.Outcome(reply.status().code(), reply.flags(),
                    Optional.empty(), 0, 0, response.content().readableBytes(), keepAlive, Optional.empty())));
            return;
        }
        Admission.Pass pass = (Admission.Pass) verdict;
        if (protocol == Protocol.HTTP1 && chunked) {
            HttpUtil.setTransferEncodingChunked(head, true); // hygiene removed it with the hop-by-hop headers
        }
        upgrade.ifPresent(u -> Upgrade.keep(head.headers(), u));
        BackendPolicy policy = config.backend(pass.backend().service());
        BackendEndpoints endpoints = new BackendEndpoints(context.snapshot(), pass.backend(), shared.router(), shared.outliers(),
                policy.outliers(), () -> telemetry.ejected(pass.backend().service()));
        telemetry.watch(shared.breakers(), policy.host());
        CircuitBreaker breaker = shared.breakers().of(policy);
        exchange = new Exchange(ctx, head, protocol, keepAlive, endpoints, pass.rule(), breaker, shared.budget(),
                to -> shared.pools().lease(ctx.channel().eventLoop(), pass.backend().service(),
                        to.destination().key(), protocol, breaker, () -> open(ctx, to)),
                HttpWaypointLayer.MAX_REPLAY_BYTES, telemetry.events(pass.backend().service()), o -> {
                    exchange = null;
                    if (!o.clean() || lastSeen || protocol == Protocol.HTTP2 || o.upgradedTo().isPresent()) {
                        done.accept(o); // an HTTP/2 stream still sending is reset rather than drained
                    } else {
                        discard(Optional.empty(), () -> done.accept(o));
                        ctx.read();
                    }
                });
        exchange.start();
        whole.ifPresent(this::body);
    }

    private io.netty.util.concurrent.Future<io.netty.handler.codec.http2.Http2StreamChannel> open(
            ChannelHandlerContext ctx, OutboundRoute.Tunnel to) {
        Workload backend = to.destination();
        HboneTarget target = new HboneTarget(context.self().identity(), backend.identity(),
                new InetSocketAddress(backend.ip(), context.hbonePort()), to.authority(), tunnel.peerAddress(), "");
        return context.pool().open(target, ctx.channel().eventLoop());
    }

    private void body(HttpContent chunk) {
        lastSeen |= chunk instanceof LastHttpContent;
        if (exchange != null) {
            exchange.requestContent(chunk);
        } else {
            boolean last = chunk instanceof LastHttpContent;
            chunk.release();
            if (last && discarding) {
                discarding = false;
                afterDiscard.run();
            }
        }
    }

    /** A request answered here: the rest of its body is read and dropped before the next request. */
    private void discard(Optional<LastHttpContent> whole, Runnable then) {
        if (whole.isPresent()) {
            whole.get().release();
            then.run();
            return;
        }
        discarding = true;
        afterDiscard = then;
    }

    /** The request is answered: the next one may be read, or the channel ends. */
    private void served(ChannelHandlerContext ctx, boolean clean) {
        serving = false;
        if (protocol == Protocol.HTTP2) {
            if (!clean) {
                ctx.close();
            }
            return;
        }
        if (!clean) {
            closing = true;
            GracefulEnd.end(ctx.channel()); // after the response: the client reads all of it, then the end
            return;
        }
        while (!serving && !backlog.isEmpty()) {
            Object next = backlog.poll();
            if (next instanceof HttpContent c && discarding) {
                body(c);
            } else {
                handle(ctx, next);
            }
        }
        if (!serving || discarding) {
            ctx.read();
        }
    }

    private static String protocolName(HttpRequest head) {
        return Replies.grpc(head.headers()) ? "grpc" : "http";
    }

    private static String printable(String uri) {
        String cut = uri.length() > 256 ? uri.substring(0, 256) + "..." : uri;
        return cut.replace("\"", "%22").replaceAll("[\\x00-\\x1f]", "?");
    }
}

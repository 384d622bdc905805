package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.authz.RequestFacts;
import dev.ambient.waypoint.http.HeaderHygiene;
import dev.ambient.waypoint.http.HostName;
import dev.ambient.waypoint.http.PathNormalizer;
import dev.ambient.waypoint.outlier.OutlierDetector;
import dev.ambient.waypoint.ratelimit.RateLimiters;
import dev.ambient.waypoint.route.Backend;
import dev.ambient.waypoint.route.RouteRule;
import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.proxy.OutboundRoute;
import dev.ambient.ztunnel.proxy.OutboundRouter;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.Workload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One tunnel's HTTP/1.1 requests, one at a time: hygiene (400), normalization, L7 authorization
 * (403), route selection (404 when routes exist and none matches), its rate limit (429 with
 * {@code retry-after}), the backend's endpoint (503 when
 * none), request id and trace context, then {@link Forward} to an endpoint under the route's timeout
 * (504) and retry policy, skipping endpoints the outlier detector ejected. Reading stops while a request is in flight, so pipelined requests
 * are answered in order.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = System.getLogger(RequestHandler.class.getName());
    private static final SplittableRandom SEEDS = new SplittableRandom();

    private final InboundRequest tunnel;
    private final MeshService service;
    private final L7Config config;
    private final WaypointLayer.Context context;
    private final OutboundRouter router = new OutboundRouter();
    private final SplittableRandom random;
    private final String serviceHost;
    private final RetryBudget budget;
    private final RateLimiters limiters;
    private final OutlierDetector outliers;

    RequestHandler(InboundRequest tunnel, MeshService service, L7Config config, WaypointLayer.Context context,
            RetryBudget budget, RateLimiters limiters, OutlierDetector outliers) {
        this.tunnel = tunnel;
        this.outliers = outliers;
        this.limiters = limiters;
        this.budget = budget;
        this.service = service;
        this.config = config;
        this.context = context;
        this.serviceHost = service.hostname(context.snapshot().clusterDomain());
        synchronized (SEEDS) {
            this.random = SEEDS.split();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        ctx.channel().config().setAutoRead(false);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure() || HeaderHygiene.unsafe(request.headers()).isPresent()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", false, start);
            return;
        }
        Optional<PathNormalizer.Normalized> path = PathNormalizer.normalize(request.uri());
        Optional<String> host = HostName.normalize(request.headers().get(HttpHeaderNames.HOST));
        if (path.isEmpty() || host.isEmpty()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "unreadable path or host", false, start);
            return;
        }
        HeaderHygiene.stripInternal(request.headers());
        HeaderHygiene.stripHopByHop(request.headers());
        SpiffeId peer = tunnel.peer();
        RequestFacts facts = new RequestFacts(Optional.of(peer.principal()), peer.namespace(), request.method().name(),
                path.get().path(), host.get(), serviceHost);
        Decision decision = config.authorizer().authorize(facts);
        if (!decision.dryRuns().isEmpty()) {
            LOG.log(Level.INFO, "dry-run policy result for " + facts + ": " + decision.dryRuns());
        }
        if (decision.denied()) {
            respond(ctx, HttpResponseStatus.FORBIDDEN, "RBAC: access denied", keepAlive, start);
            return;
        }
        Optional<RouteRule> rule = config.routes().select(serviceHost, facts.method(), facts.path(),
                name -> request.headers().get(name));
        if (config.routes().routes(serviceHost) && rule.isEmpty()) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "no route matches", keepAlive, start);
            return;
        }
        if (rule.isPresent() && rule.get().rateLimit().isPresent()) {
            long wait = limiters.tryTake(rule.get().route(), rule.get().rateLimit().get());
            if (wait > 0) {
                FullHttpResponse limited = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.TOO_MANY_REQUESTS, Unpooled.copiedBuffer("local rate limited\n",
                                StandardCharsets.UTF_8));
                limited.headers().set(HttpHeaderNames.RETRY_AFTER, RateLimiters.retryAfterSeconds(wait));
                send(ctx, limited, keepAlive, start);
                return;
            }
        }
        Backend backend = rule.map(r -> r.pick(random).orElse(null))
                .orElse(new Backend(serviceHost, tunnel.authority().getPort(), 1));
        if (backend == null) {
            respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "the route has no backend", keepAlive, start);
            return;
        }
        rule.ifPresent(r -> {
            r.removeHeaders().forEach(request.headers()::remove);
            r.setHeaders().forEach(request.headers()::set);
            r.addHeaders().forEach(request.headers()::add);
        });
        TraceHeaders.ensure(request.headers(), random);
        Backend chosen = backend;
        new Forward(context, tunnel.peerAddress(), request.retain(), () -> healthyEndpoint(chosen),
                rule.flatMap(RouteRule::timeout), rule.flatMap(RouteRule::retry), budget, ctx.channel().eventLoop(),
                (endpoint, failed) -> report(chosen, endpoint, failed),
                (response, status) -> {
                    if (response == null) {
                        respond(ctx, status, status == HttpResponseStatus.GATEWAY_TIMEOUT
                                ? "upstream request timeout" : "upstream connect error or reset", keepAlive, start);
                    } else {
                        HeaderHygiene.stripHopByHop(response.headers());
                        send(ctx, response, keepAlive, start);
                    }
                }).start();
    }

    /**
     * The next endpoint of the backend that is not ejected; when all are (the detector never ejects
     * more than half, but endpoints come and go), the next one regardless.
     */
    private Optional<OutboundRoute.Tunnel> healthyEndpoint(Backend backend) {
        int tries = Math.max(1, endpointKeys(backend).size());
        Optional<OutboundRoute.Tunnel> first = Optional.empty();
        for (int i = 0; i < tries; i++) {
            Optional<OutboundRoute.Tunnel> t = endpoint(backend);
            if (t.isEmpty() || !outliers.ejected(t.get().destination().key())) {
                return t;
            }
            first = first.isPresent() ? first : t;
        }
        return first;
    }

    private void report(Backend backend, Workload endpoint, boolean failed) {
        if (!failed) {
            outliers.success(endpoint.key());
        } else if (outliers.failure(endpoint.key(), endpointKeys(backend))) {
            LOG.log(Level.WARNING, "ejected " + endpoint.key() + " from " + backend.service()
                    + " after consecutive failures");
        }
    }

    private List<String> endpointKeys(Backend backend) {
        return context.snapshot().serviceByHost(backend.service())
                .map(s -> context.snapshot().readyEndpoints(s).stream().map(Workload::key).toList()).orElse(List.of());
    }

    /** A ready endpoint of the backend service, resolved as any caller of the service would. */
    private Optional<OutboundRoute.Tunnel> endpoint(Backend backend) {
        return context.snapshot().serviceByHost(backend.service())
                .map(s -> router.routeFromWaypoint(context.snapshot(), new InetSocketAddress(s.vip(), backend.port())))
                .filter(OutboundRoute.Tunnel.class::isInstance).map(OutboundRoute.Tunnel.class::cast);
    }

    private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive,
            long start) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        send(ctx, response, keepAlive, start);
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, long start) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        int code = response.status().code();
        Counter.builder("istio_requests").tag("reporter", "waypoint").tag("destination_service", serviceHost)
                .tag("source_principal", tunnel.peer().toString()).tag("response_code", Integer.toString(code))
                .register(context.registry()).increment();
        Timer.builder("istio_request_duration_milliseconds").tag("reporter", "waypoint")
                .tag("destination_service", serviceHost).tag("response_code", Integer.toString(code))
                .register(context.registry()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            } else {
                f.channel().config().setAutoRead(true);
                f.channel().read();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "waypoint tunnel from " + tunnel.peer() + " failed: " + cause);
        ctx.close();
    }
}

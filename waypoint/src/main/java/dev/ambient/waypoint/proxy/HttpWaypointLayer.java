package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.outlier.OutlierDetector;
import dev.ambient.waypoint.ratelimit.RateLimiters;
import dev.ambient.ztunnel.hbone.InboundRequest;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.ServicePort;
import dev.ambient.ztunnel.state.Waypoint;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The waypoint's HTTP layer: a tunnel for a service port that speaks HTTP (named {@code http...} or
 * {@code grpc...}, Istio's explicit protocol selection) is answered 200 and read as HTTP/1.1
 * requests, each of which the {@link RequestHandler} authorizes, routes and forwards on its own
 * HBONE stream. Everything else is left to the TCP path.
 */
public final class HttpWaypointLayer implements WaypointLayer {

    /** Largest request or response body held in memory. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final AtomicReference<L7Config> config = new AtomicReference<>();
    private final RetryBudget budget = new RetryBudget();
    private final RateLimiters limiters = new RateLimiters();
    private final OutlierDetector outliers = new OutlierDetector(OutlierDetector.Settings.DEFAULTS, System::nanoTime);

    @Override
    public boolean accept(InboundRequest request, Waypoint waypoint, Context context) {
        Optional<MeshService> service = context.snapshot().service(request.authority().getAddress());
        Optional<ServicePort> port = service.flatMap(s -> s.port(request.authority().getPort()));
        if (port.isEmpty() || !speaksHttp(port.get())) {
            return false;
        }
        L7Config l7 = current(context, waypoint);
        request.accept().addListener(f -> {
            if (!f.isSuccess()) {
                request.stream().close();
                return;
            }
            ChannelPipeline p = request.stream().pipeline();
            p.addLast("stream-bytes", new StreamBytes());
            p.addLast("http", new HttpServerCodec());
            p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES));
            p.addLast("request", new RequestHandler(request, service.get(), l7, context, budget, limiters, outliers));
            request.stream().config().setAutoRead(true);
        });
        return true;
    }

    @Override
    public Map<String, Object> configDump(MeshSnapshot snapshot, Waypoint waypoint) {
        return L7ConfigDump.render(L7Config.of(snapshot, waypoint));
    }

    static boolean speaksHttp(ServicePort port) {
        String name = port.name().toLowerCase(Locale.ROOT);
        return name.equals("http") || name.startsWith("http-") || name.equals("http2") || name.startsWith("http2-")
                || name.equals("grpc") || name.startsWith("grpc-");
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

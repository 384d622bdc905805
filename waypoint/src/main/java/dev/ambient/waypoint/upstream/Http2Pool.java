package dev.ambient.waypoint.upstream;

import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.tunnel.StreamBytes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One multiplexed HTTP/2 connection (prior knowledge, inside one HBONE stream) to one endpoint from
 * one event loop; every request is a stream of it, so gRPC calls and concurrent requests share one
 * tunnel. Requests that arrive while it connects wait for it (counted as pending); a connection that
 * dies is replaced by the next request, and one without a stream for the backend's idle timeout is
 * closed (GOAWAY, then the end of its tunnel).
 */
final class Http2Pool implements EndpointPool {

    private final EventLoop loop;
    private final CircuitBreaker breaker;
    private Connector connector;
    private final String backend;
    private Channel connection;
    private List<Promise<Lease>> connecting;
    private int streams;
    private long idleSince;
    private ScheduledFuture<?> idleCheck;

    Http2Pool(EventLoop loop, CircuitBreaker breaker, Connector connector, String backend) {
        this.loop = loop;
        this.breaker = breaker;
        this.connector = connector;
        this.backend = backend;
    }

    @Override
    public boolean unused() {
        return connecting == null && (connection == null || !connection.isActive());
    }

    /** {@code connector}: how this request would open a connection (the newest one is kept for the next). */
    @Override
    public void lease(Promise<Lease> promise, Connector connector) {
        this.connector = connector;
        if (connection != null && connection.isActive()) {
            stream(promise);
        } else if (connecting != null) {
            if (!breaker.tryPending()) {
                promise.tryFailure(new OverflowException(CircuitBreaker.Overflow.PENDING, backend));
                return;
            }
            connecting.add(promise);
        } else if (!breaker.tryConnection()) {
            breaker.overflowConnections();
            promise.tryFailure(new OverflowException(CircuitBreaker.Overflow.CONNECTIONS, backend));
        } else {
            connecting = new ArrayList<>(List.of(promise)); // the first one opens it, the rest are pending
            connect();
        }
    }

    private void connect() {
        connector.open().addListener(f -> {
            List<Promise<Lease>> waiting = connecting;
            connecting = null;
            waiting.stream().skip(1).forEach(w -> breaker.pendingDone());
            if (!f.isSuccess()) {
                breaker.connectionClosed();
                waiting.forEach(w -> w.tryFailure(f.cause()));
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            stream.closeFuture().addListener(c -> breaker.connectionClosed());
            stream.pipeline().addLast("stream-bytes", new StreamBytes());
            stream.pipeline().addLast("h2", Http2FrameCodecBuilder.forClient().build());
            stream.pipeline().addLast("multiplex", new Http2MultiplexHandler(new RefuseStreams()));
            stream.config().setAutoRead(true);
            connection = stream;
            idleSince = System.nanoTime();
            waiting.forEach(this::stream);
        });
    }

    /**
     * One pending check per connection: when it runs, a connection with no stream for the whole
     * timeout is closed, otherwise it is checked again when the timeout of its last stream is up.
     */
    private void scheduleIdleCheck(long delayNanos) {
        Channel watched = connection;
        idleCheck = loop.schedule(() -> {
            idleCheck = null;
            if (connection != watched || !watched.isActive() || streams > 0) {
                return; // replaced, gone, or busy: the last stream to end schedules the next check
            }
            long timeout = breaker.limits().idleTimeout().toNanos();
            long idleFor = System.nanoTime() - idleSince;
            if (idleFor >= timeout) {
                connection = null;
                watched.close();
            } else {
                scheduleIdleCheck(timeout - idleFor);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void stream(Promise<Lease> promise) {
        streams++; // counted from now, so an idle check cannot close the connection under a stream opening
        new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.config().setAutoRead(false);
                ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false));
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) {
                streamEnded();
                promise.tryFailure(f.cause());
                return;
            }
            Channel stream = (Channel) f.getNow();
            stream.closeFuture().addListener(c -> streamEnded());
            if (!promise.trySuccess(new Lease(stream, Http2Pool::release))) {
                stream.close();
            }
        });
    }

    private void streamEnded() {
        if (--streams == 0) {
            idleSince = System.nanoTime();
            if (idleCheck == null && connection != null) {
                scheduleIdleCheck(breaker.limits().idleTimeout().toNanos());
            }
        }
    }

    /** A stream ends with its exchange; closing one that did not end cleanly resets it. */
    private static void release(Channel stream, boolean clean) {
        if (!clean) {
            stream.close();
        }
    }

    /** A backend does not push streams to the waypoint. */
    private static final class RefuseStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }
}

package dev.ambient.waypoint.upstream;

import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.tunnel.StreamBytes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * One multiplexed HTTP/2 connection (prior knowledge, inside one HBONE stream) to one endpoint from
 * one event loop; every request is a stream of it, so gRPC calls and concurrent requests share one
 * tunnel. Requests that arrive while it connects wait for it (counted as pending); a connection that
 * dies is replaced by the next request.
 */
final class Http2Pool {

    private final CircuitBreaker breaker;
    private Connector connector;
    private final String backend;
    private Channel connection;
    private List<Promise<Lease>> connecting;

    Http2Pool(CircuitBreaker breaker, Connector connector, String backend) {
        this.breaker = breaker;
        this.connector = connector;
        this.backend = backend;
    }

    /** {@code connector}: how this request would open a connection (the newest one is kept for the next). */
    void lease(Promise<Lease> promise, Connector connector) {
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
            waiting.forEach(this::stream);
        });
    }

    private void stream(Promise<Lease> promise) {
        new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.config().setAutoRead(false);
                ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false));
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            } else if (!promise.trySuccess(new Lease((Channel) f.getNow(), Http2Pool::release))) {
                ((Channel) f.getNow()).close();
            }
        });
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

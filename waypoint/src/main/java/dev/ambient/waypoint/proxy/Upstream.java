package dev.ambient.waypoint.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request to a backend over its own HBONE stream: written and followed by END_STREAM (the
 * backend sees end of input after it), its response read whole, and the stream left to end from the
 * far side, so that a stream per request costs no RST_STREAM (which a peer's rapid-reset protection
 * counts). {@code done} is called exactly once, with the response (which it then owns) or with null
 * when the stream ended, failed or ran out of time first.
 */
final class Upstream extends SimpleChannelInboundHandler<FullHttpResponse> {

    private static final long LINGER_SECONDS = 5;

    private final Consumer<FullHttpResponse> done;
    private ScheduledFuture<?> timer;
    private boolean finished;

    private Upstream(Consumer<FullHttpResponse> done) {
        this.done = done;
    }

    static void exchange(Http2StreamChannel stream, FullHttpRequest request, Optional<Duration> timeout,
            Consumer<FullHttpResponse> done) {
        Upstream handler = new Upstream(done);
        stream.pipeline().addLast("stream-bytes", new StreamBytes());
        stream.pipeline().addLast("http", new HttpClientCodec());
        stream.pipeline().addLast("aggregate", new HttpObjectAggregator(HttpWaypointLayer.MAX_BODY_BYTES));
        stream.pipeline().addLast("response", handler);
        stream.eventLoop().execute(() -> {
            timeout.ifPresent(t -> handler.timer = stream.eventLoop().schedule(() -> {
                handler.finish(null);
                stream.close();
            }, t.toNanos(), TimeUnit.NANOSECONDS));
            stream.config().setAutoRead(true);
            stream.write(request);
            stream.writeAndFlush(new DefaultHttp2DataFrame(true)).addListener(f -> {
                if (!f.isSuccess()) {
                    handler.finish(null);
                    stream.close();
                }
            });
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        finish(response.retain());
        // The backend's side ends the stream; reset it only if that does not happen soon.
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(null);
        ctx.close();
    }

    private void finish(FullHttpResponse response) {
        if (finished) {
            if (response != null) {
                response.release();
            }
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        done.accept(response);
    }
}

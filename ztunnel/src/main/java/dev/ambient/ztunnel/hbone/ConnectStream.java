package dev.ambient.ztunnel.hbone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one CONNECT: sends the request and completes the promise with the stream once
 * the peer answers 200, so no application byte is written before the tunnel exists.
 */
final class ConnectStream extends ChannelInboundHandlerAdapter {

    private final HboneTarget target;
    private final Promise<Http2StreamChannel> result;
    private final Duration timeout;
    private ScheduledFuture<?> timer;

    ConnectStream(HboneTarget target, Promise<Http2StreamChannel> result, Duration timeout) {
        this.target = target;
        this.result = result;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        timer = ctx.executor().schedule(() -> fail(ctx, new HboneException("no CONNECT response from "
                + target.poolKey() + " within " + timeout.toSeconds() + "s", 0)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(HboneHeaders.request(target), false))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        fail(ctx, new HboneException("sending CONNECT to " + target.poolKey() + " failed", f.cause()));
                    }
                });
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame headers) {
                CharSequence status = headers.headers().status();
                if (status != null && "200".contentEquals(status) && !headers.isEndStream()) {
                    timer.cancel(false);
                    ctx.pipeline().remove(this);
                    result.trySuccess((Http2StreamChannel) ctx.channel());
                } else {
                    int code = parseStatus(status);
                    fail(ctx, new HboneException(target.poolKey() + " refused CONNECT " + HboneHeaders.hostPort(
                            target.authority()) + " with status " + status + describe(code), code));
                }
            } else if (msg instanceof Http2ResetFrame reset) {
                fail(ctx, new HboneException(target.poolKey() + " reset the CONNECT stream (error " + reset.errorCode()
                        + ")", 0));
            } else {
                ctx.read();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new HboneException("HBONE stream to " + target.poolKey() + " closed before the CONNECT answer", 0));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new HboneException("HBONE stream to " + target.poolKey() + " failed: " + cause.getMessage(), cause));
    }

    private void fail(ChannelHandlerContext ctx, HboneException error) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (result.tryFailure(error)) {
            ctx.close();
        }
    }

    private static int parseStatus(CharSequence status) {
        try {
            return status == null ? 0 : Integer.parseInt(status.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String describe(int code) {
        return switch (code) {
            case 400 -> " (bad request: the peer does not serve that destination)";
            case 401 -> " (denied by the destination's authorization policy)";
            case 503 -> " (destination unknown to the peer or not reachable from it)";
            default -> "";
        };
    }
}

package dev.ambient.waypoint.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Joins two HBONE streams byte for byte, for a connection that stopped being HTTP (an upgrade such
 * as WebSocket): DATA from one is written to the other, END_STREAM included, and one side is read
 * only while the other can take more, so neither buffers without bound. When one stream closes, the
 * other ends gracefully.
 */
public final class StreamSplice extends ChannelInboundHandlerAdapter {

    private final Channel to;

    private StreamSplice(Channel to) {
        this.to = to;
    }

    /** Splices {@code a} and {@code b}; whatever HTTP handlers they had must be gone already. */
    public static void join(Channel a, Channel b) {
        StreamSplice ab = new StreamSplice(b);
        StreamSplice ba = new StreamSplice(a);
        a.pipeline().addLast("splice", ab);
        b.pipeline().addLast("splice", ba);
        a.config().setAutoRead(false);
        b.config().setAutoRead(false);
        a.read();
        b.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame data) {
            to.write(new DefaultHttp2DataFrame(data.content().retain(), data.isEndStream()));
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        to.flush();
        if (to.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // this side can take more again: the other side may read on
        if (ctx.channel().isWritable()) {
            to.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        GracefulEnd.end(to);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}

package dev.ambient.waypoint.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Makes one HBONE stream look like a byte stream to the HTTP codecs above it: DATA frames in become
 * bytes (END_STREAM becomes end of input), bytes out become DATA frames. Stream flow control stays
 * in force: frames are consumed as the codec reads them.
 */
public final class StreamBytes extends ChannelDuplexHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame data) {
            boolean end = data.isEndStream();
            ByteBuf content = data.content();
            if (content.isReadable()) {
                ctx.fireChannelRead(content);
            } else {
                content.release();
            }
            if (end) {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
        } else if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE); // trailers end the tunnel's input
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            ctx.write(new DefaultHttp2DataFrame(bytes, false), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}

package dev.ambient.ztunnel.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds what a connection delivers before its relay exists. Even with auto-read off, a transport
 * reads when the peer half-closes (to see the end of input), so a client that writes and closes at
 * once would otherwise lose its bytes at the end of an empty pipeline. Bounded by what one read
 * brings; the relay replaces this handler and receives everything in order.
 */
public final class EarlyInput extends ChannelInboundHandlerAdapter {

    public static final String NAME = "early-input";

    private final List<Object> held = new ArrayList<>();

    /** Installs the holder on a connection whose relay is not up yet. */
    public static void install(Channel channel) {
        if (channel.pipeline().get(NAME) == null) {
            channel.pipeline().addLast(NAME, new EarlyInput());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            held.add(evt);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The relay asks for reads itself once it is in place.
    }

    /** Replays what was held to the handler after this one (the relay), then leaves. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held.isEmpty()) {
            return;
        }
        for (Object item : held) {
            if (item instanceof ChannelInputShutdownEvent) {
                ctx.fireUserEventTriggered(item);
            } else if (ctx.channel().isActive()) {
                ctx.fireChannelRead(item);
            } else {
                ReferenceCountUtil.release(item);
            }
        }
        held.clear();
        ctx.fireChannelReadComplete();
    }
}

package dev.ambient.ztunnel.hbone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Detects dead HBONE peers: after a quiet interval it sends a PING, and closes the connection when
 * no answer arrives in time. Without it a peer that vanished (node power loss, a dropped route)
 * would hold pooled streams open until TCP gives up, many minutes later.
 */
final class Keepalive extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Keepalive.class.getName());

    private final Duration timeout;
    private ScheduledFuture<?> deadline;
    private long outstanding;

    Keepalive(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && deadline == null) {
            outstanding = System.nanoTime();
            ctx.writeAndFlush(new DefaultHttp2PingFrame(outstanding));
            deadline = ctx.executor().schedule(() -> {
                LOG.log(Level.WARNING, "HBONE peer " + ctx.channel().remoteAddress() + " did not answer a PING within "
                        + timeout.toSeconds() + "s; closing the connection");
                ctx.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof Http2PingFrame ping && ping.ack()) {
            if (ping.content() == outstanding && deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadline != null) {
            deadline.cancel(false);
        }
        super.channelInactive(ctx);
    }
}

package dev.ambient.waypoint.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/** One attempt's view of its upstream channel, handing its events to the exchange, which ignores those of dropped attempts. */
final class AttemptReader extends ChannelInboundHandlerAdapter {

    private final Exchange exchange;
    private final Attempt attempt;

    AttemptReader(Exchange exchange, Attempt attempt) {
        this.exchange = exchange;
        this.attempt = attempt;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        exchange.response(attempt, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange.wantsResponse(attempt)) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        exchange.pullRequest();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            exchange.upstreamGone(attempt);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        exchange.upstreamGone(attempt);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exchange.upstreamGone(attempt);
        ctx.close();
    }
}

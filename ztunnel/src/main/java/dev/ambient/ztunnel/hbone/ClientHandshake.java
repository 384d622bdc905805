package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Promise;

/**
 * Finishes an outgoing HBONE connection: after TLS it checks that the server proved the expected
 * identity and agreed on h2, and only then adds HTTP/2, so not even the connection preface reaches a
 * server that is not the one we meant to reach.
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {

    private final HboneTarget target;
    private final HboneSettings settings;
    private final Promise<Channel> ready;
    private final ChannelHandler connectionEvents;

    ClientHandshake(HboneTarget target, HboneSettings settings, Promise<Channel> ready, ChannelHandler connectionEvents) {
        this.target = target;
        this.settings = settings;
        this.ready = ready;
        this.connectionEvents = connectionEvents;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof SslHandshakeCompletionEvent done)) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        HandshakeOutcome outcome = HandshakeOutcome.of(done, ctx.pipeline().get(SslHandler.class));
        if (outcome.peer().isEmpty()) {
            fail(ctx, new HboneException("HBONE connection to " + target.poolKey() + ": " + outcome.failure(),
                    done.cause()));
            return;
        }
        SpiffeId peer = outcome.peer().get();
        if (!target.acceptedPeers().contains(peer)) {
            fail(ctx, new HboneException("HBONE peer at " + HboneHeaders.hostPort(target.hboneAddress())
                    + " presented " + peer + " but " + target.expectedPeer()
                    + " was expected; refusing to send any data to it", 0));
            return;
        }
        Http2Codecs.install(ctx.pipeline(), Http2Codecs.client(settings), settings);
        ctx.pipeline().addLast("h2-events", connectionEvents);
        ctx.pipeline().addLast("h2-multiplex", new Http2MultiplexHandler(new RefusePushedStreams()));
        ctx.pipeline().remove(this);
        ready.trySuccess(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new HboneException("HBONE connection to " + target.poolKey() + " closed during setup", 0));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new HboneException("HBONE connection to " + target.poolKey() + " failed: " + HandshakeOutcome.rootMessage(cause), cause));
    }

    private void fail(ChannelHandlerContext ctx, HboneException error) {
        if (ready.tryFailure(error)) {
            ctx.close();
        }
    }

    /** HBONE servers never open streams towards the client. */
    @ChannelHandler.Sharable
    private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}

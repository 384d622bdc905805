package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/** After the server's TLS handshake: requires h2 and a verified client SVID, then starts HTTP/2. */
final class ServerHandshake extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(ServerHandshake.class.getName());

    private final HboneSettings settings;
    private final Duration drain;
    private final Consumer<InboundRequest> acceptor;

    ServerHandshake(HboneSettings settings, Duration drain, Consumer<InboundRequest> acceptor) {
        this.settings = settings;
        this.drain = drain;
        this.acceptor = acceptor;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof SslHandshakeCompletionEvent done)) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        HandshakeOutcome outcome = HandshakeOutcome.of(done, ctx.pipeline().get(SslHandler.class));
        if (outcome.peer().isEmpty()) {
            LOG.log(Level.INFO, "HBONE client " + ctx.channel().remoteAddress() + " refused: " + outcome.failure());
            ctx.close();
            return;
        }
        SpiffeId peer = outcome.peer().get();
        Channel ch = ctx.channel();
        InetSocketAddress local = (InetSocketAddress) ch.localAddress();
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        Http2Codecs.install(ctx.pipeline(), Http2Codecs.server(settings, drain), settings);
        ctx.pipeline().addLast("h2-multiplex", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setOption(ChannelOption.AUTO_READ, false);
                stream.pipeline().addLast("hbone-connect", new ServerStream(peer, remote, local, acceptor));
            }
        }));
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.INFO, "HBONE connection from " + ctx.channel().remoteAddress() + " failed: "
                + HandshakeOutcome.rootMessage(cause));
        ctx.close();
    }
}

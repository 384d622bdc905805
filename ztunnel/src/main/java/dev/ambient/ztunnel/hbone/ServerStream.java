package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the request HEADERS of one stream. Anything but a CONNECT to an {@code ip:port} authority is
 * answered 400 here; a well-formed CONNECT goes to the inbound proxy, which decides the rest.
 */
final class ServerStream extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(ServerStream.class.getName());

    private final SpiffeId peer;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Consumer<InboundRequest> acceptor;

    ServerStream(SpiffeId peer, InetSocketAddress remote, InetSocketAddress local, Consumer<InboundRequest> acceptor) {
        this.peer = peer;
        this.remote = remote;
        this.local = local;
        this.acceptor = acceptor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
        if (!(msg instanceof Http2HeadersFrame frame)) {
            ReferenceCountUtil.release(msg);
            LOG.log(Level.DEBUG, "HBONE stream from " + peer + " sent data before its CONNECT headers; resetting");
            stream.close();
            return;
        }
        ctx.pipeline().remove(this);
        CharSequence method = frame.headers().method();
        if (method == null || !HttpMethod.CONNECT.asciiName().contentEquals(method)) {
            LOG.log(Level.INFO, "HBONE request from " + peer + " with method " + method + " refused: only CONNECT is served");
            InboundRequest.refuse(stream, 400);
            return;
        }
        Optional<InetSocketAddress> authority = HboneHeaders.parseAuthority(frame.headers().authority());
        if (authority.isEmpty()) {
            LOG.log(Level.INFO, "HBONE CONNECT from " + peer + " refused: authority " + frame.headers().authority()
                    + " is not an ip:port");
            InboundRequest.refuse(stream, 400);
            return;
        }
        acceptor.accept(new InboundRequest(stream, peer, remote, local, authority.get(), frame.headers(),
                frame.isEndStream()));
    }
}

package dev.ambient.bench.load;

import dev.ambient.bench.BenchException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandRequest;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5ClientEncoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponseDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The client side of a SOCKS5 CONNECT without authentication. When the proxy has answered, the
 * SOCKS5 codecs leave the pipeline and {@code onReady} installs the application's handlers in the
 * same event-loop turn, so no byte the tunnel carries can arrive before they are in place.
 */
final class Socks5Handshake extends ChannelInboundHandlerAdapter {

    private final InetSocketAddress destination;
    private final Consumer<Channel> onReady;
    private final Consumer<BenchException> onFailure;
    private boolean settled;

    Socks5Handshake(InetSocketAddress destination, Consumer<Channel> onReady, Consumer<BenchException> onFailure) {
        this.destination = destination;
        this.onReady = onReady;
        this.onFailure = onFailure;
    }

    /** Adds the SOCKS5 codecs and this handler to a fresh pipeline. */
    static void install(ChannelPipeline pipeline, InetSocketAddress destination, Consumer<Channel> onReady,
            Consumer<BenchException> onFailure) {
        pipeline.addLast("socks5-encoder", Socks5ClientEncoder.DEFAULT);
        pipeline.addLast("socks5-decoder", new Socks5InitialResponseDecoder());
        pipeline.addLast("socks5-handshake", new Socks5Handshake(destination, onReady, onFailure));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new DefaultSocks5InitialRequest(Socks5AuthMethod.NO_AUTH));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Socks5InitialResponse initial) {
                if (initial.decoderResult().isFailure() || initial.authMethod() != Socks5AuthMethod.NO_AUTH) {
                    fail(ctx, "the SOCKS5 proxy " + ctx.channel().remoteAddress()
                            + " does not accept clients without authentication");
                    return;
                }
                ctx.pipeline().replace("socks5-decoder", "socks5-decoder", new Socks5CommandResponseDecoder());
                ctx.writeAndFlush(new DefaultSocks5CommandRequest(Socks5CommandType.CONNECT, Socks5AddressType.IPv4,
                        destination.getAddress().getHostAddress(), destination.getPort()));
            } else if (msg instanceof Socks5CommandResponse response) {
                if (response.decoderResult().isFailure()) {
                    fail(ctx, "the SOCKS5 proxy sent a malformed reply: " + response.decoderResult().cause());
                } else if (response.status() != Socks5CommandStatus.SUCCESS) {
                    fail(ctx, "the SOCKS5 proxy " + ctx.channel().remoteAddress() + " refused CONNECT to "
                            + destination + " with " + response.status()
                            + " (is the client address an enrolled pod of this node? see the ztunnel log)");
                } else {
                    settled = true;
                    ChannelPipeline p = ctx.pipeline();
                    p.remove("socks5-decoder");
                    p.remove("socks5-encoder");
                    p.remove(this);
                    onReady.accept(ctx.channel());
                }
            } else {
                fail(ctx, "unexpected SOCKS5 message " + msg.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "the SOCKS5 proxy " + ctx.channel().remoteAddress() + " closed the connection during the handshake");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "SOCKS5 handshake with " + ctx.channel().remoteAddress() + " failed: " + cause.getMessage());
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        if (settled) {
            return;
        }
        settled = true;
        ctx.close();
        onFailure.accept(new BenchException(message));
    }
}

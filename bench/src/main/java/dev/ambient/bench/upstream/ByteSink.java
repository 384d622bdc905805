package dev.ambient.bench.upstream;

import dev.ambient.bench.BenchException;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The far end of a bulk transfer: counts every byte it receives and, when the client half-closes,
 * answers with the count as an 8-byte big-endian number and closes. The reply proves every byte
 * arrived and that the proxies carry a half-close through.
 */
public final class ByteSink implements AutoCloseable {

    private final Channel server;

    private ByteSink(Channel server) {
        this.server = server;
    }

    /**
     * Listens on {@code address}, a kernel-chosen port, served by {@code group}. Reads up to 1 MiB at a
     * time, so that the sink is never what limits the direct baseline every proxy is compared with
     * (the option is deprecated in Netty 4.2 without a replacement for this purpose yet).
     */
    @SuppressWarnings("deprecation")
    public static ByteSink start(InetAddress address, Transport transport, EventLoopGroup group) throws BenchException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(4096, 64 * 1024, 1 << 20))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("count", new Counter());
                    }
                });
        var bind = bootstrap.bind(new InetSocketAddress(address, 0)).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new BenchException("cannot start the byte sink on " + address.getHostAddress() + ": "
                    + bind.cause().getMessage(), bind.cause());
        }
        return new ByteSink(bind.channel());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
    }

    /** Counts, then answers at end of input. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private long count;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf data) {
                count += data.readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.writeAndFlush(ctx.alloc().buffer(Long.BYTES).writeLong(count)).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

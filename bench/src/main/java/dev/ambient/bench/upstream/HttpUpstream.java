package dev.ambient.bench.upstream;

import dev.ambient.bench.BenchException;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The application behind every scenario: an HTTP/1.1 keep-alive server that answers a request
 * carrying exactly {@code bodyBytes} with 200 and the same bytes, so the client can check that
 * the payload crossed the proxies intact, and anything else with 400.
 */
public final class HttpUpstream implements AutoCloseable {

    private final Channel server;

    private HttpUpstream(Channel server) {
        this.server = server;
    }

    /** Listens on {@code address}, a kernel-chosen port, served by {@code group}. */
    public static HttpUpstream start(InetAddress address, Transport transport, EventLoopGroup group, int bodyBytes)
            throws BenchException {
        ChannelFuture bind = bootstrap(transport, group, bodyBytes).bind(new InetSocketAddress(address, 0));
        return bound(bind.awaitUninterruptibly(), address.getHostAddress(), " (is 127.0.0.0/8 routed to lo?)");
    }

    /**
     * Listens on {@code address} (the pod's IP) and {@code port} inside the pod's network namespace, as
     * the pod's application would: the listening socket is created in the namespace, and the event loop
     * of {@code group} serves it from there.
     */
    public static HttpUpstream startIn(NetNamespace pod, InetSocketAddress address, Transport transport,
            EventLoopGroup group, int bodyBytes) throws BenchException {
        ServerBootstrap bootstrap = bootstrap(transport, group, bodyBytes);
        ChannelFuture bind;
        try {
            // bind() creates the server socket on the calling thread, which is inside the namespace.
            bind = pod.call(() -> bootstrap.bind(address));
        } catch (Exception e) {
            throw new BenchException("cannot create the upstream HTTP server's socket in " + pod.path() + ": "
                    + e.getMessage(), e);
        }
        return bound(bind.awaitUninterruptibly(), address + " in " + pod.path().getFileName(), "");
    }

    private static ServerBootstrap bootstrap(Transport transport, EventLoopGroup group, int bodyBytes) {
        return new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(1 << 20))
                                .addLast("echo", new Echo(bodyBytes));
                    }
                });
    }

    private static HttpUpstream bound(ChannelFuture bind, String where, String hint) throws BenchException {
        if (!bind.isSuccess()) {
            throw new BenchException("cannot start the upstream HTTP server on " + where + ": "
                    + bind.cause().getMessage() + hint, bind.cause());
        }
        return new HttpUpstream(bind.channel());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
    }

    /** Echoes bodies of the expected size. */
    private static final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int bodyBytes;

        Echo(int bodyBytes) {
            super(FullHttpRequest.class);
            this.bodyBytes = bodyBytes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean good = request.decoderResult().isSuccess() && request.content().readableBytes() == bodyBytes;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    good ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST,
                    good ? request.content().retainedDuplicate() : Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean keepAlive = good && HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var write = ctx.writeAndFlush(response);
            if (!keepAlive) {
                write.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

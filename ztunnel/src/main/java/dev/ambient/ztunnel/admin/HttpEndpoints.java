package dev.ambient.ztunnel.admin;

import dev.ambient.ztunnel.net.TcpListener;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A tiny HTTP/1.1 server for operational endpoints (admin, metrics, readiness): GET only, bodies
 * built per request by a supplier, small requests only.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final Logger LOG = System.getLogger(HttpEndpoints.class.getName());

    /** A response body with its status and content type. */
    public record Reply(int status, String contentType, String body) {
        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        public static Reply text(int status, String body) {
            return new Reply(status, "text/plain; charset=utf-8", body);
        }
    }

    private final TcpListener listener;

    public HttpEndpoints(String name, InetSocketAddress address, Transport transport, EventLoopGroup group,
            Map<String, Supplier<Reply>> routes) {
        Map<String, Supplier<Reply>> table = Map.copyOf(routes);
        this.listener = new TcpListener(name, address, transport, group, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setAutoRead(true);
                ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                ch.pipeline().addLast(new Router(table));
            }
        }, false);
    }

    public HttpEndpoints start() {
        listener.start();
        return this;
    }

    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    @Override
    public void close() {
        listener.close();
    }

    private static final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, Supplier<Reply>> routes;

        Router(Map<String, Supplier<Reply>> routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Reply reply;
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                reply = Reply.text(405, "only GET is served here\n");
            } else {
                Supplier<Reply> route = routes.get(new QueryStringDecoder(request.uri()).path());
                if (route == null) {
                    reply = Reply.text(404, "not found; try one of " + routes.keySet() + "\n");
                } else {
                    try {
                        reply = route.get();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "endpoint " + request.uri() + " failed", e);
                        reply = Reply.text(500, "BUG: " + e + "\n");
                    }
                }
            }
            ByteBuf body = Unpooled.copiedBuffer(reply.body(), StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()), body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            HttpUtil.setContentLength(response, body.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
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

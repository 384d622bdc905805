package dev.ambient.ztunnel.hbone;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2-over-mTLS client that sends whatever headers a test wants, to see how the HBONE server
 * answers requests the real client never sends (GET, a bad authority, END_STREAM on CONNECT).
 */
final class RawHboneClient implements AutoCloseable {

    /** What came back on one stream: frame kinds in order ("HEADERS 200", "DATA 0 END", "RST 8"). */
    record Exchange(List<String> frames) {
        String status() {
            return frames.isEmpty() ? "" : frames.get(0);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;

    RawHboneClient(SslContext tls, InetSocketAddress server) throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent done) {
                                    if (done.isSuccess()) {
                                        ctx.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                                        ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                                        ctx.pipeline().remove(this);
                                        ready.complete(null);
                                    } else {
                                        ready.completeExceptionally(done.cause());
                                    }
                                }
                            }
                        });
                    }
                }).connect(server).sync().channel();
        ready.get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code headers} on a new stream and collects the answer until the stream ends. */
    Exchange send(Http2Headers headers, boolean endStream) throws Exception {
        List<String> frames = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof Http2HeadersFrame h) {
                        frames.add("HEADERS " + h.headers().status() + (h.isEndStream() ? " END" : ""));
                    } else if (msg instanceof Http2DataFrame d) {
                        frames.add("DATA " + d.content().readableBytes() + (d.isEndStream() ? " END" : ""));
                    } else if (msg instanceof Http2ResetFrame r) {
                        frames.add("RST " + r.errorCode());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                done.complete(null);
            }
        }).open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream)).sync();
        done.get(15, TimeUnit.SECONDS);
        return new Exchange(List.copyOf(frames));
    }

    boolean connectionOpen() {
        return connection.isActive();
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

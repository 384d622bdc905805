package dev.ambient.waypoint.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.function.Supplier;

/**
 * The client side of the waypoint's HTTP: the codecs that turn a tunnel's bytes into Netty
 * {@code HttpObject}s, one request handler per HTTP/1.1 connection or per HTTP/2 stream. Header
 * validation stays on: HTTP/2 messages with connection-specific headers, upper-case names or bad
 * pseudo-headers are malformed (RFC 9113 section 8.2) and their stream is reset before any handler
 * sees them. {@code 100-continue} is answered here, so no request waits on its backend for it.
 */
final class DownstreamCodecs {

    /** Concurrent HTTP/2 streams a client may open in one tunnel. */
    static final long MAX_STREAMS = 1024;

    private DownstreamCodecs() {}

    static void http1(ChannelPipeline p, ChannelHandler requests) {
        p.addLast("http", new HttpServerCodec());
        p.addLast("continue", new HttpServerExpectContinueHandler());
        p.addLast("request", requests);
    }

    /** {@code perStream}: a fresh handler for each stream's one request. */
    static void http2(ChannelPipeline p, Supplier<ChannelHandler> perStream) {
        p.addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS)).build());
        p.addLast("multiplex", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.config().setAutoRead(false);
                ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                ch.pipeline().addLast("continue", new HttpServerExpectContinueHandler());
                ch.pipeline().addLast("request", perStream.get());
            }
        }));
    }
}

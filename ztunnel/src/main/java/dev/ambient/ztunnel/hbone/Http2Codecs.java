package dev.ambient.ztunnel.hbone;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Builds the HTTP/2 part of an HBONE pipeline the same way on both ends. */
final class Http2Codecs {

    private Http2Codecs() {}

    /** Client codec: closing a pooled connection resets what is left on it at once. */
    static Http2FrameCodec client(HboneSettings settings) {
        return configure(Http2FrameCodecBuilder.forClient(), settings, Duration.ZERO).build();
    }

    /**
     * Server codec: {@code close()} sends GOAWAY and lets open streams finish for up to {@code drain},
     * which is exactly a graceful drain.
     */
    static Http2FrameCodec server(HboneSettings settings, Duration drain) {
        return configure(Http2FrameCodecBuilder.forServer(), settings, drain).build();
    }

    private static Http2FrameCodecBuilder configure(Http2FrameCodecBuilder builder, HboneSettings settings,
            Duration graceful) {
        Http2Settings initial = Http2Settings.defaultSettings()
                .initialWindowSize(settings.streamWindow())
                .maxFrameSize(settings.maxFrameSize())
                .maxHeaderListSize(settings.maxHeaderListSize())
                .maxConcurrentStreams(settings.maxStreamsPerConnection());
        if (!builder.isServer()) {
            initial.pushEnabled(false);
        }
        return builder.initialSettings(initial).gracefulShutdownTimeoutMillis(graceful.toMillis());
    }

    /**
     * Adds codec, keepalive and the connection-window increase to {@code pipeline}. The connection
     * window is raised by a WINDOW_UPDATE because SETTINGS can only size stream windows.
     */
    static void install(ChannelPipeline pipeline, Http2FrameCodec codec, HboneSettings settings) {
        long interval = settings.keepaliveInterval().toMillis();
        pipeline.addLast("h2-idle", new IdleStateHandler(interval, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-keepalive", new Keepalive(settings.keepaliveTimeout()));
        int increase = settings.connectionWindow() - 65_535;
        if (increase > 0) {
            pipeline.channel().writeAndFlush(new DefaultHttp2WindowUpdateFrame(increase));
        }
    }
}

package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.relay.Relay;
import dev.ambient.ztunnel.relay.StreamEnd;
import dev.ambient.ztunnel.telemetry.AccessLog;
import dev.ambient.ztunnel.telemetry.ConnectionInfo;
import dev.ambient.ztunnel.telemetry.ConnectionMeters;
import dev.ambient.ztunnel.telemetry.ProxyMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The common end of every proxied connection, whatever listener took it: relay the bytes, keep it
 * in {@link LiveConnections}, and at its end count it and write its access-log line. Refusals are
 * counted and logged the same way, so an operator sees every connection exactly once.
 */
final class ProxySession {

    private ProxySession() {}

    static Relay relay(StreamEnd downstream, StreamEnd upstream, ConnectionInfo info, ProxyMetrics metrics,
            LiveConnections live, Optional<LiveConnections.Recheck> recheck, long startNanos) {
        ConnectionMeters meters = metrics.open(info);
        AtomicReference<LiveConnections.Entry> entry = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean();
        Relay relay = Relay.start(downstream, upstream, meters::received, meters::sent, (fromClient, toClient, error) -> {
            ended.set(true);
            LiveConnections.Entry e = entry.get();
            if (e != null) {
                live.remove(e);
            }
            String flags = error instanceof ProxyException pe ? pe.reason().responseFlags() : "-";
            meters.closed(flags);
            AccessLog.connection(info, toClient, fromClient, Duration.ofNanos(System.nanoTime() - startNanos),
                    error == null ? null : describe(error));
        });
        LiveConnections.Entry e = new LiveConnections.Entry(info, relay, recheck);
        entry.set(e);
        live.add(e);
        if (ended.get()) {
            live.remove(e); // the relay ended before it was registered
        }
        return relay;
    }

    /**
     * Starts the relay once {@code answer} (the HBONE 200 to the client) is written, so no tunnelled
     * byte can precede it; closes {@code upstream} if the answer fails. When the CONNECT itself
     * carried END_STREAM the client will send nothing, so the upstream sees end of input at once.
     * Bytes already read from the client ({@code sniffed}, owned here) are relayed first.
     */
    static void relayAfter(ChannelFuture answer, Channel downstream, Channel upstream, Optional<ByteBuf> sniffed,
            boolean downstreamEnded, ConnectionInfo info, ProxyMetrics metrics, LiveConnections live,
            Optional<LiveConnections.Recheck> recheck, long startNanos) {
        answer.addListener(w -> {
            if (!w.isSuccess()) {
                sniffed.ifPresent(ByteBuf::release);
                upstream.close();
                return;
            }
            relay(StreamEnd.of(downstream), StreamEnd.of(upstream), info, metrics, live, recheck, startNanos);
            // The relay handler is already in place to see these.
            sniffed.ifPresent(b -> downstream.pipeline().fireChannelRead(new DefaultHttp2DataFrame(b, false)));
            if (downstreamEnded) {
                downstream.pipeline().fireChannelRead(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
            }
        });
    }

    /** Counts and logs a connection that was refused before any byte moved. */
    static void refused(ConnectionInfo info, ProxyMetrics metrics, ProxyException error, long startNanos) {
        metrics.open(info).closed(error.reason().responseFlags());
        AccessLog.connection(info, 0, 0, Duration.ofNanos(System.nanoTime() - startNanos), error.getMessage());
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }
}

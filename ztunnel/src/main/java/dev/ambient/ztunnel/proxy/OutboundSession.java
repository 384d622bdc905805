package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.relay.Relay;
import dev.ambient.ztunnel.relay.StreamEnd;
import dev.ambient.ztunnel.telemetry.ConnectionInfo;
import io.netty.channel.Channel;
import java.util.Optional;

/**
 * An outbound connection whose upstream (tunnel or direct) is established but not yet relaying, so
 * the listener can first answer its client (a SOCKS reply) and then {@link #start()}.
 */
public final class OutboundSession {

    private final Channel downstream;
    private final StreamEnd upstream;
    private final ConnectionInfo info;
    private final OutboundProxy proxy;
    private final long startNanos;
    private final Optional<LiveConnections.Recheck> recheck;

    OutboundSession(Channel downstream, StreamEnd upstream, ConnectionInfo info, OutboundProxy proxy, long startNanos) {
        this(downstream, upstream, info, proxy, startNanos, Optional.empty());
    }

    OutboundSession(Channel downstream, StreamEnd upstream, ConnectionInfo info, OutboundProxy proxy, long startNanos,
            Optional<LiveConnections.Recheck> recheck) {
        this.recheck = recheck;
        this.downstream = downstream;
        this.upstream = upstream;
        this.info = info;
        this.proxy = proxy;
        this.startNanos = startNanos;
    }

    public ConnectionInfo info() {
        return info;
    }

    public StreamEnd upstream() {
        return upstream;
    }

    /** Starts relaying; from here the session counts as an open connection until both ends close. */
    public Relay start() {
        return ProxySession.relay(StreamEnd.of(downstream), upstream, info, proxy.metrics(), proxy.live(), recheck,
                startNanos);
    }

    /** Gives up before relaying (the client went away): the upstream is closed. */
    public void abandon() {
        upstream.channel().close();
    }
}

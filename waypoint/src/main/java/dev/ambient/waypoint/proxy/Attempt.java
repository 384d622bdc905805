package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.upstream.Lease;
import dev.ambient.ztunnel.state.Workload;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * One attempt of an {@link Exchange}: the endpoint it went to, the lease on its upstream channel
 * once granted (with the handler that reports the channel's events), and its own deadline. It ends
 * once: its channel released for the next request after a clean exchange, or dropped otherwise.
 */
final class Attempt {

    final Workload endpoint;
    private Future<Lease> leasing;
    private ScheduledFuture<?> deadline;
    private Lease lease;
    private Channel channel;
    private ChannelHandler reader;

    Attempt(Workload endpoint) {
        this.endpoint = endpoint;
    }

    void leasing(Future<Lease> leasing, ScheduledFuture<?> deadline) {
        this.leasing = leasing;
        this.deadline = deadline;
    }

    /** The lease was granted: {@code reader} goes on the channel, ahead of the pool's own idle watch. */
    Channel attach(Lease granted, ChannelHandler handler) {
        leasing = null;
        lease = granted;
        channel = granted.channel();
        reader = handler;
        if (channel.pipeline().get("idle") != null) {
            channel.pipeline().addBefore("idle", "exchange", handler);
        } else {
            channel.pipeline().addLast("exchange", handler);
        }
        return channel;
    }

    /** The upstream channel, or null before the lease is granted and after the attempt ended. */
    Channel channel() {
        return channel;
    }

    /** The response began: the attempt's deadline no longer applies. */
    void responded() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** The connection was upgraded: it leaves the pool for good, handlers and all, to be spliced. */
    Channel detach() {
        responded();
        Channel c = channel;
        lease.detach();
        lease = null;
        channel = null;
        return c;
    }

    /** Ends the attempt: {@code reusable} returns its channel to the pool, otherwise it is closed. */
    void end(boolean reusable) {
        responded();
        if (leasing != null) {
            leasing.cancel(false);
            leasing = null;
        }
        if (lease != null) {
            if (channel.pipeline().context(reader) != null) {
                channel.pipeline().remove(reader);
            }
            lease.release(reusable);
            lease = null;
            channel = null;
        }
    }
}

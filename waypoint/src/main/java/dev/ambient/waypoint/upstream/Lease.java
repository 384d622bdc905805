package dev.ambient.waypoint.upstream;

import io.netty.channel.Channel;
import java.util.function.BiConsumer;

/**
 * One request's hold on an upstream channel that reads and writes Netty {@code HttpObject}s: an
 * HTTP/1.1 connection (one HBONE stream) or an HTTP/2 stream of a multiplexed connection. Released
 * exactly once; {@code reusable} when the exchange ended cleanly in both directions, so the
 * connection may serve the next request.
 */
public final class Lease {

    private final Channel channel;
    private final BiConsumer<Channel, Boolean> release;
    private boolean released;

    Lease(Channel channel, BiConsumer<Channel, Boolean> release) {
        this.channel = channel;
        this.release = release;
    }

    public Channel channel() {
        return channel;
    }

    public void release(boolean reusable) {
        if (!released) {
            released = true;
            release.accept(channel, reusable);
        }
    }

    /**
     * The channel leaves the pool for good (an upgraded connection now carries another protocol); its
     * slot in the backend's circuit breaker is freed when it closes.
     */
    public void detach() {
        released = true;
    }
}

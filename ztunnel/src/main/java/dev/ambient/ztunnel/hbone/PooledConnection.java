package dev.ambient.ztunnel.hbone;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * One HBONE connection in the pool and its stream accounting. Fields are guarded by the pool's lock;
 * the connection becomes usable when {@link #ready} completes (TCP, TLS, peer identity checked).
 */
final class PooledConnection {

    final HboneTarget.PoolKey key;
    /** The event loop the connection runs on; streams opened from the same loop stay on one thread. */
    final EventLoop loop;
    final Promise<Channel> ready = ImmediateEventExecutor.INSTANCE.newPromise();
    int reserved;
    int maxStreams;
    boolean draining;
    long idleSinceNanos;
    long streamsOpened;

    PooledConnection(HboneTarget.PoolKey key, EventLoop loop, int maxStreams) {
        this.key = key;
        this.loop = loop;
        this.maxStreams = maxStreams;
        this.idleSinceNanos = System.nanoTime();
    }

    boolean hasCapacity() {
        return !draining && reserved < maxStreams && (!ready.isDone() || ready.isSuccess() && ready.getNow().isActive());
    }

    Channel channelOrNull() {
        return ready.isSuccess() ? ready.getNow() : null;
    }
}

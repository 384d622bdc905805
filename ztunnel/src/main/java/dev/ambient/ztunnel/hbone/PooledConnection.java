package dev.ambient.ztunnel.hbone;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * One HBONE connection in the pool and its stream accounting. Fields are guarded by the pool's lock;
 * the connection becomes usable when {@link #ready} completes (TCP, TLS, peer identity checked).
 */
final class PooledConnection {

    final HboneTarget.PoolKey key;
    final Promise<Channel> ready = ImmediateEventExecutor.INSTANCE.newPromise();
    int reserved;
    int maxStreams;
    boolean draining;
    long idleSinceNanos;
    long streamsOpened;

    PooledConnection(HboneTarget.PoolKey key, int maxStreams) {
        this.key = key;
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

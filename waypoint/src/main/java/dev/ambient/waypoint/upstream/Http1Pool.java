package dev.ambient.waypoint.upstream;

import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.tunnel.GracefulEnd;
import dev.ambient.waypoint.tunnel.StreamBytes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections to one endpoint from one event loop, each an HBONE stream with
 * the HTTP client codec on it (touched on that loop only). A request takes an idle connection, or a
 * new one while the backend's breaker has room, or waits (a pending request, also limited). A
 * released connection goes to the oldest waiter, else idles until the backend's idle timeout; it is closed
 * instead when its request limit is used up or when requests of another loop wait for a slot.
 */
final class Http1Pool implements EndpointPool {

    private static final AttributeKey<Integer> SERVED = AttributeKey.valueOf("ambient.h1.served");
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("ambient.h1.idleSince");
    private static final AttributeKey<ScheduledFuture<?>> IDLE_CHECK = AttributeKey.valueOf("ambient.h1.idleCheck");

    private final EventLoop loop;
    private final CircuitBreaker breaker;
    private Connector connector;
    private final String backend;
    private final Deque<Channel> idle = new ArrayDeque<>();
    private final Deque<Promise<Lease>> waiters = new ArrayDeque<>();
    private int open;

    Http1Pool(EventLoop loop, CircuitBreaker breaker, Connector connector, String backend) {
        this.loop = loop;
        this.breaker = breaker;
        this.connector = connector;
        this.backend = backend;
    }

    @Override
    public boolean unused() {
        return open == 0 && waiters.isEmpty();
    }

    /** {@code connector}: how this request would open a connection (the newest one is kept for the next). */
    @Override
    public void lease(Promise<Lease> promise, Connector connector) {
        this.connector = connector;
        while (!idle.isEmpty()) {
            Channel c = idle.pollLast();
            if (c.isActive()) {
                hand(c, promise);
                return;
            }
        }
        if (breaker.tryConnection()) {
            connect(promise);
        } else if (breaker.tryPending()) {
            waiters.add(promise);
            promise.addListener(f -> {
                if (f.isCancelled() && waiters.remove(promise)) {
                    breaker.pendingDone();
                }
            });
            breaker.onConnectionFreed(() -> loop.execute(this::slotFreed));
        } else {
            breaker.overflowConnections();
            promise.tryFailure(new OverflowException(CircuitBreaker.Overflow.PENDING, backend));
        }
    }

    private void connect(Promise<Lease> promise) {
        connector.open().addListener(f -> {
            if (!f.isSuccess()) {
                breaker.connectionClosed();
                promise.tryFailure(f.cause());
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            open++;
            stream.closeFuture().addListener(c -> {
                open--;
                breaker.connectionClosed();
            });
            stream.pipeline().addLast("stream-bytes", new StreamBytes());
            stream.pipeline().addLast("http", new HttpClientCodec());
            stream.pipeline().addLast("idle", new IdleWatch());
            if (!hand(stream, promise)) {
                release(stream, true);
            }
        });
    }

    private boolean hand(Channel c, Promise<Lease> promise) {
        c.config().setAutoRead(false);
        c.attr(SERVED).set(served(c) + 1);
        return promise.trySuccess(new Lease(c, this::release));
    }

    private void release(Channel c, boolean reusable) {
        int limit = breaker.limits().maxRequestsPerConnection();
        if (!reusable || !c.isActive() || (limit > 0 && served(c) >= limit)) {
            GracefulEnd.end(c);
        } else if (!waiters.isEmpty()) {
            breaker.pendingDone();
            if (!hand(c, waiters.poll())) {
                release(c, true);
            }
        } else if (breaker.waiters()) {
            GracefulEnd.end(c); // a request on another loop waits for this slot
        } else {
            idle.add(c);
            c.config().setAutoRead(true);
            c.attr(IDLE_SINCE).set(System.nanoTime());
            if (c.attr(IDLE_CHECK).get() == null) {
                scheduleIdleCheck(c, idleTimeout());
            }
        }
    }

    /**
     * One pending check per connection, however often it is reused: when it runs, a connection idle
     * for the whole timeout ends, one idle for less is checked again when its timeout would be up, and
     * one in use is left for its next release to check.
     */
    private void scheduleIdleCheck(Channel c, long delayNanos) {
        c.attr(IDLE_CHECK).set(c.eventLoop().schedule(() -> {
            c.attr(IDLE_CHECK).set(null);
            if (!idle.contains(c)) {
                return;
            }
            long idleFor = System.nanoTime() - c.attr(IDLE_SINCE).get();
            if (idleFor >= idleTimeout()) {
                idle.remove(c);
                GracefulEnd.end(c);
            } else {
                scheduleIdleCheck(c, idleTimeout() - idleFor);
            }
        }, delayNanos, TimeUnit.NANOSECONDS));
    }

    /** The backend's current idle timeout, in nanoseconds. */
    private long idleTimeout() {
        return breaker.limits().idleTimeout().toNanos();
    }

    /** A slot freed somewhere: the oldest waiter opens a connection, if the slot is still there. */
    private void slotFreed() {
        Promise<Lease> next = waiters.peek();
        if (next != null && breaker.tryConnection()) {
            waiters.poll();
            breaker.pendingDone();
            connect(next);
        } else if (next != null) {
            breaker.onConnectionFreed(() -> loop.execute(this::slotFreed));
        }
    }

    private static int served(Channel c) {
        Integer n = c.attr(SERVED).get();
        return n == null ? 0 : n;
    }

    /** An idle connection hears only of its end: anything else the backend sends unasked ends it too. */
    private final class IdleWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (idle.remove(ctx.channel())) {
                ctx.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (idle.remove(ctx.channel())) {
                GracefulEnd.end(ctx.channel());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(ctx.channel());
            ctx.fireChannelInactive();
        }
    }
}

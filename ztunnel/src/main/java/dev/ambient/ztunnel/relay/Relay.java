package dev.ambient.ztunnel.relay;

import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Copies bytes both ways between a downstream and an upstream {@link StreamEnd} with backpressure:
 * each side reads only while the other side can take more, so buffered bytes per direction stay
 * within one read batch plus the writer's high-water mark (or the HTTP/2 stream window). A half-close
 * is carried through in either direction; the relay ends when both directions have ended or either
 * end is gone.
 */
public final class Relay {

    /** Told once, when both ends are closed. */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param fromDownstream bytes read from downstream and written upstream
         * @param fromUpstream bytes read from upstream and written downstream
         * @param error why the relay ended early, or null when both directions ended cleanly
         */
        void relayClosed(long fromDownstream, long fromUpstream, Throwable error);
    }

    private final StreamEnd downstream;
    private final StreamEnd upstream;
    private final Observer observer;
    private final RelayHandler fromDownstream;
    private final RelayHandler fromUpstream;
    private final AtomicInteger directionsDone = new AtomicInteger();
    private final AtomicInteger endsClosed = new AtomicInteger();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    private Relay(StreamEnd downstream, StreamEnd upstream, LongConsumer downstreamBytes, LongConsumer upstreamBytes,
            Observer observer) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.fromDownstream = new RelayHandler(this, downstream, upstream, downstreamBytes);
        this.fromUpstream = new RelayHandler(this, upstream, downstream, upstreamBytes);
    }

    /**
     * Joins two connected ends and starts reading both. Both channels must have auto-read off; any
     * handler that set them up must already have left their pipelines.
     */
    public static Relay start(StreamEnd downstream, StreamEnd upstream, Observer observer) {
        return start(downstream, upstream, n -> { }, n -> { }, observer);
    }

    /**
     * As {@link #start(StreamEnd, StreamEnd, Observer)}, also reporting bytes as they pass so that
     * long-lived connections show up in metrics before they end.
     */
    public static Relay start(StreamEnd downstream, StreamEnd upstream, LongConsumer downstreamBytes,
            LongConsumer upstreamBytes, Observer observer) {
        Relay relay = new Relay(downstream, upstream, downstreamBytes, upstreamBytes, observer);
        relay.attach(downstream.channel(), relay.fromDownstream);
        relay.attach(upstream.channel(), relay.fromUpstream);
        return relay;
    }

    private void attach(Channel channel, RelayHandler handler) {
        channel.closeFuture().addListener(f -> endClosed());
        Runnable join = () -> {
            if (channel.isActive()) {
                channel.pipeline().addLast("relay", handler);
                if (channel.pipeline().get(EarlyInput.NAME) != null) {
                    channel.pipeline().remove(EarlyInput.NAME); // hands over anything it held
                }
                channel.read();
            } else {
                ended(handler.self, null);
            }
        };
        // Called on the channel's own loop, the handler is in place before any buffered byte can pass it.
        if (channel.eventLoop().inEventLoop()) {
            join.run();
        } else {
            channel.eventLoop().execute(join);
        }
    }

    /** Ends the relay now, for example because a changed policy denies it; both ends are closed. */
    public void abort(Throwable reason) {
        error.compareAndSet(null, reason);
        closeBoth();
    }

    public StreamEnd downstream() {
        return downstream;
    }

    public StreamEnd upstream() {
        return upstream;
    }

    RelayHandler handlerReading(StreamEnd end) {
        return end == downstream ? fromDownstream : fromUpstream;
    }

    /** One direction delivered its end of stream; when both have, the relay is finished. */
    void directionDone() {
        if (directionsDone.incrementAndGet() == 2) {
            closeBoth();
        }
    }

    /** An end closed or failed; the other is flushed and closed, never left half open. */
    void ended(StreamEnd end, Throwable cause) {
        if (cause != null) {
            error.compareAndSet(null, cause);
        }
        closeBoth();
    }

    private void closeBoth() {
        if (closing.compareAndSet(false, true)) {
            downstream.closeAfterWrites();
            upstream.closeAfterWrites();
        }
    }

    private void endClosed() {
        if (endsClosed.incrementAndGet() == 2) {
            observer.relayClosed(fromDownstream.bytes(), fromUpstream.bytes(), error.get());
        } else {
            closeBoth();
        }
    }
}

package dev.ambient.waypoint.detect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds a tunnel's first bytes until {@link Protocol#classify} can tell what they are, then removes
 * itself and hands them, with the verdict, to {@link Detected}. A client that sends nothing within
 * {@code patience} (a server-first protocol) or closes early gets a verdict on what it sent:
 * {@code fallback} when that was nothing. At most a few dozen bytes are held: reading stops while
 * they are judged, so nothing else buffers here.
 */
public final class ProtocolDetector extends ChannelInboundHandlerAdapter {

    /** Receives the verdict once; owns {@code held} (possibly empty) from then on. */
    @FunctionalInterface
    public interface Detected {
        void detected(ChannelHandlerContext ctx, Protocol protocol, ByteBuf held, boolean ended);
    }

    private final Optional<Duration> patience;
    private final Protocol fallback;
    private final Detected detected;
    private ByteBuf held = Unpooled.EMPTY_BUFFER;
    private ScheduledFuture<?> timer;
    private boolean done;

    /** {@code patience}: empty waits for the client as long as the tunnel lives. */
    public ProtocolDetector(Optional<Duration> patience, Protocol fallback, Detected detected) {
        this.patience = patience;
        this.fallback = fallback;
        this.detected = detected;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        patience.ifPresent(p -> timer = ctx.executor().schedule(() -> decide(ctx, true, false), p.toNanos(),
                TimeUnit.NANOSECONDS));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        held = held.isReadable() ? Unpooled.wrappedBuffer(held, bytes) : swap(bytes);
        decide(ctx, false, false);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!done) {
            ctx.read(); // not enough to tell yet
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!done && evt instanceof ChannelInputShutdownEvent) {
            decide(ctx, true, true);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            ReferenceCountUtil.safeRelease(held);
        }
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private ByteBuf swap(ByteBuf bytes) {
        held.release();
        return bytes;
    }

    private void decide(ChannelHandlerContext ctx, boolean complete, boolean ended) {
        if (done) {
            return;
        }
        Optional<Protocol> protocol = held.isReadable() ? Protocol.classify(held, complete)
                : complete ? Optional.of(fallback) : Optional.empty();
        if (protocol.isEmpty()) {
            return;
        }
        done = true;
        ByteBuf bytes = held;
        held = Unpooled.EMPTY_BUFFER;
        ctx.pipeline().remove(this);
        detected.detected(ctx, protocol.get(), bytes, ended);
    }
}

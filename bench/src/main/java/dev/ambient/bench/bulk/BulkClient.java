package dev.ambient.bench.bulk;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams a fixed number of bytes over one connection as fast as the path takes them (writing only
 * while the channel is writable), half-closes, and waits for the sink's byte count. One connection
 * and one stream, so the result is the single-flow throughput of the path.
 */
public final class BulkClient {

    private static final int CHUNK = 256 * 1024;

    private final Connector connector;

    public BulkClient(Connector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /**
     * Sends {@code bytes} along {@code route}.
     *
     * @throws BenchException when the connection fails, the sink's count differs, or {@code timeout} passes
     */
    public BulkResult transfer(Route route, long bytes, Duration timeout, SplittableRandom random)
            throws BenchException, InterruptedException {
        byte[] pattern = new byte[CHUNK];
        random.nextBytes(pattern);
        ByteBuf chunk = Unpooled.directBuffer(CHUNK).writeBytes(pattern);
        CompletableFuture<BulkResult> done = new CompletableFuture<>();
        Channel channel = null;
        try {
            Writer writer = new Writer(chunk, bytes, done);
            channel = connector.open(route, ch -> {
                ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1 << 20, 4 << 20));
                ch.pipeline().addLast("bulk", writer);
            }).get(30, TimeUnit.SECONDS);
            channel.eventLoop().execute(writer::begin);
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BenchException b) {
                throw b;
            }
            throw new BenchException("bulk transfer " + route + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new BenchException("bulk transfer of " + bytes + " bytes " + route + " did not finish within "
                    + timeout.toSeconds() + "s");
        } finally {
            if (channel != null) {
                channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            chunk.release();
        }
    }

    /** Writes while writable, half-closes at the end, reads the 8-byte count. */
    private static final class Writer extends ChannelInboundHandlerAdapter {
        private final ByteBuf chunk;
        private final long total;
        private final CompletableFuture<BulkResult> done;
        private final ByteBuf reply = Unpooled.buffer(Long.BYTES);
        private Channel channel;
        private long remaining;
        private long start;
        private boolean started;

        Writer(ByteBuf chunk, long total, CompletableFuture<BulkResult> done) {
            this.chunk = chunk;
            this.total = total;
            this.remaining = total;
            this.done = done;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void begin() {
            started = true;
            start = System.nanoTime();
            pump();
        }

        private void pump() {
            while (remaining > 0 && channel.isWritable()) {
                int n = (int) Math.min(CHUNK, remaining);
                remaining -= n;
                if (remaining > 0) {
                    channel.write(chunk.retainedSlice(0, n), channel.voidPromise());
                } else {
                    // Writes complete in order: once the last one has, everything is on the wire.
                    channel.write(chunk.retainedSlice(0, n)).addListener(f -> {
                        if (f.isSuccess()) {
                            halfClose();
                        } else {
                            fail("the last write failed: " + f.cause().getMessage());
                        }
                    });
                }
            }
            channel.flush();
        }

        private void halfClose() {
            ((DuplexChannel) channel).shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    fail("cannot half-close after sending: " + f.cause().getMessage());
                }
            });
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (started && ctx.channel().isWritable()) {
                pump();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf data) {
                    reply.writeBytes(data, Math.min(data.readableBytes(), reply.writableBytes()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            if (reply.readableBytes() == Long.BYTES && !done.isDone()) {
                long elapsed = System.nanoTime() - start;
                long counted = reply.getLong(0);
                if (counted != total) {
                    fail("the sink counted " + counted + " of " + total + " bytes");
                } else {
                    done.complete(new BulkResult(total, elapsed));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("connection closed after " + (total - remaining) + " of " + total
                    + " bytes were written, before the sink's count arrived");
            reply.release();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            ctx.close();
        }

        private void fail(String message) {
            done.completeExceptionally(new BenchException("bulk transfer failed: " + message));
        }
    }
}

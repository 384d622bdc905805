package dev.ambient.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One HTTP/1.1 keep-alive connection of an open-loop run. Its requests fall due on their own timer
 * whatever the responses do; as HTTP/1.1 carries one request at a time, a request due while the
 * previous one is outstanding waits here, and that wait is part of its latency. Everything runs on
 * the channel's event loop, so no state is shared between threads until {@link #finish}.
 */
final class ClientConnection extends SimpleChannelInboundHandler<FullHttpResponse> {

    /** Latencies above this are clamped; a minute means the run is broken anyway. */
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int MAX_SAMPLES = 5;

    private final int id;
    private final ByteBuf body;
    private final Histogram latencies = new Histogram(1_000, HIGHEST_NANOS, 3);
    private final ArrayDeque<Long> waiting = new ArrayDeque<>();
    private final List<String> samples = new ArrayList<>();
    private OpenLoopSchedule schedule;
    private Channel channel;
    private Runnable onSettled = () -> { };
    private long expected;
    private long settled;
    private long inFlight = -1;
    private boolean closed;
    private boolean finished;
    private long measuredOk;
    private long errors;
    private long lastCompletion;

    /** {@code body} is shared by all connections and only ever duplicated here. */
    ClientConnection(int id, ByteBuf body) {
        super(FullHttpResponse.class);
        this.id = id;
        this.body = body;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Starts this connection's timer; {@code onSettled} runs once every request due on it has an outcome. */
    void start(OpenLoopSchedule plan, Runnable settledCallback) {
        channel.eventLoop().execute(() -> {
            schedule = plan;
            onSettled = settledCallback;
            expected = plan.requestsOn(id);
            if (expected == 0) {
                onSettled.run();
                return;
            }
            arm(id);
        });
    }

    private void arm(long index) {
        long delay = schedule.sendTime(index) - System.nanoTime();
        channel.eventLoop().schedule(() -> due(index), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void due(long index) {
        if (finished) {
            return;
        }
        long next = schedule.nextOnConnection(index);
        if (next < schedule.total()) {
            arm(next);
        }
        if (closed) {
            settle(index, "connection closed before the request was due");
            return;
        }
        waiting.addLast(index);
        if (inFlight < 0) {
            sendNext();
        }
    }

    private void sendNext() {
        long index = waiting.removeFirst();
        inFlight = index;
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/echo",
                body.retainedDuplicate());
        request.headers().set(HttpHeaderNames.HOST, "upstream")
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                sample("write failed: " + f.cause().getMessage());
                channel.close();
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        long now = System.nanoTime();
        if (inFlight < 0) {
            sample("response without a request");
            ctx.close();
            return;
        }
        long index = inFlight;
        inFlight = -1;
        String problem = check(response);
        if (problem == null && schedule.measured(index)) {
            latencies.recordValue(Math.min(now - schedule.sendTime(index), HIGHEST_NANOS));
            lastCompletion = now;
        }
        settle(index, problem);
        if (!closed && !waiting.isEmpty()) {
            sendNext();
        }
    }

    private String check(FullHttpResponse response) {
        if (response.decoderResult().isFailure()) {
            return "malformed response: " + response.decoderResult().cause();
        }
        if (!response.status().equals(HttpResponseStatus.OK)) {
            return "status " + response.status().code();
        }
        if (response.content().readableBytes() != body.readableBytes()) {
            return "body of " + response.content().readableBytes() + " bytes, expected " + body.readableBytes();
        }
        if (!ByteBufUtil.equals(response.content(), body)) {
            return "body differs from the request body";
        }
        return null;
    }

    private void settle(long index, String problem) {
        if (problem == null) {
            if (schedule.measured(index)) {
                measuredOk++;
            }
        } else {
            errors++;
            sample(problem);
        }
        settled++;
        if (settled == expected) {
            onSettled.run();
        }
    }

    private void sample(String message) {
        if (samples.size() < MAX_SAMPLES && !samples.contains(message)) {
            samples.add(message);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (!finished && schedule != null) {
            if (inFlight >= 0) {
                long index = inFlight;
                inFlight = -1;
                settle(index, "connection closed with a request outstanding");
            }
            while (!waiting.isEmpty()) {
                settle(waiting.removeFirst(), "connection closed with requests waiting");
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        sample(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }

    /**
     * Ends this connection's part of the run: requests still without an outcome count as errors.
     * Must run on the channel's event loop.
     */
    ConnectionTally finish() {
        finished = true;
        long missing = expected - settled;
        if (missing > 0) {
            errors += missing;
            sample(missing + " request(s) without a response when the run ended");
        }
        waiting.clear();
        inFlight = -1;
        return new ConnectionTally(latencies, measuredOk, errors, lastCompletion, List.copyOf(samples));
    }

    Channel channel() {
        return channel;
    }
}

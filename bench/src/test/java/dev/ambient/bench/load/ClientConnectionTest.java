package dev.ambient.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The open-loop behaviour of one connection: requests that fall due while one is outstanding wait,
 * and are sent one at a time as responses arrive; every response is checked.
 */
class ClientConnectionTest {

    private static final long MS = 1_000_000L;

    private final ByteBuf body = Unpooled.copiedBuffer("0123456789abcdef", StandardCharsets.US_ASCII);
    private final AtomicInteger settled = new AtomicInteger();

    @AfterEach
    void release() {
        body.release();
    }

    /** Three requests, all already due: one connection, 1000 req/s, 3 ms, started a second ago. */
    private EmbeddedChannel started(ClientConnection connection, long warmupNanos) {
        EmbeddedChannel ch = new EmbeddedChannel(connection);
        OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() - 1_000 * MS, 1000, 1, warmupNanos, 3 * MS);
        connection.start(schedule, settled::incrementAndGet);
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
        return ch;
    }

    @Test
    void dueRequestsQueueBehindTheOutstandingOne() {
        ClientConnection connection = new ClientConnection(0, body);
        EmbeddedChannel ch = started(connection, 0);
        takeRequest(ch);
        assertNull(ch.readOutbound(), "HTTP/1.1 keep-alive: one request at a time");
        ch.writeInbound(response(HttpResponseStatus.OK, body.retainedDuplicate()));
        takeRequest(ch);
        assertNull(ch.readOutbound());
        ch.writeInbound(response(HttpResponseStatus.OK, body.retainedDuplicate()));
        takeRequest(ch);
        ch.writeInbound(response(HttpResponseStatus.OK, body.retainedDuplicate()));
        assertEquals(1, settled.get());
        ConnectionTally tally = connection.finish();
        assertEquals(3, tally.measuredOk());
        assertEquals(0, tally.errors());
        assertEquals(3, tally.latencies().getTotalCount());
        // Measured from the scheduled time, a second ago, not from when each request left.
        assertTrue(tally.latencies().getMinValue() >= 900 * MS, "latency " + tally.latencies().getMinValue());
        ch.finishAndReleaseAll();
    }

    @Test
    void wrongAnswersAreErrorsAndTheRunGoesOn() {
        ClientConnection connection = new ClientConnection(0, body);
        EmbeddedChannel ch = started(connection, 0);
        takeRequest(ch);
        ch.writeInbound(response(HttpResponseStatus.INTERNAL_SERVER_ERROR, Unpooled.EMPTY_BUFFER));
        takeRequest(ch);
        ch.writeInbound(response(HttpResponseStatus.OK, Unpooled.copiedBuffer("0123456789abcdeX", StandardCharsets.US_ASCII)));
        takeRequest(ch);
        ch.writeInbound(response(HttpResponseStatus.OK, Unpooled.copiedBuffer("short", StandardCharsets.US_ASCII)));
        ConnectionTally tally = connection.finish();
        assertEquals(0, tally.measuredOk());
        assertEquals(3, tally.errors());
        assertTrue(tally.errorSamples().contains("status 500"), tally.errorSamples().toString());
        assertTrue(tally.errorSamples().contains("body differs from the request body"), tally.errorSamples().toString());
        assertTrue(tally.errorSamples().stream().anyMatch(s -> s.startsWith("body of 5 bytes")),
                tally.errorSamples().toString());
        ch.finishAndReleaseAll();
    }

    @Test
    void aClosedConnectionFailsWhatIsOutstandingAndWaiting() {
        ClientConnection connection = new ClientConnection(0, body);
        EmbeddedChannel ch = started(connection, 0);
        takeRequest(ch);
        ch.close();
        assertEquals(1, settled.get());
        ConnectionTally tally = connection.finish();
        assertEquals(3, tally.errors());
        ch.finishAndReleaseAll();
    }

    @Test
    void unansweredRequestsCountAsErrorsWhenTheRunEnds() {
        ClientConnection connection = new ClientConnection(0, body);
        EmbeddedChannel ch = started(connection, 0);
        takeRequest(ch);
        ConnectionTally tally = connection.finish();
        assertEquals(3, tally.errors());
        assertEquals(0, settled.get());
        ch.finishAndReleaseAll();
    }

    @Test
    void warmupResponsesAreCheckedButNotRecorded() {
        ClientConnection connection = new ClientConnection(0, body);
        EmbeddedChannel ch = started(connection, 2 * MS);
        for (int i = 0; i < 3; i++) {
            takeRequest(ch);
            ch.writeInbound(response(HttpResponseStatus.OK, body.retainedDuplicate()));
        }
        ConnectionTally tally = connection.finish();
        assertEquals(1, tally.measuredOk());
        assertEquals(1, tally.latencies().getTotalCount());
        ch.finishAndReleaseAll();
    }

    private void takeRequest(EmbeddedChannel ch) {
        FullHttpRequest request = ch.readOutbound();
        assertNotNull(request, "a request should have been sent");
        try {
            assertEquals(body, request.content());
            assertEquals(body.readableBytes(), request.headers().getInt("content-length"));
        } finally {
            request.release();
        }
    }

    private static DefaultFullHttpResponse response(HttpResponseStatus status, ByteBuf content) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    }
}

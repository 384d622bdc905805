package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ambient.ztunnel.testing.NettyLeakCheck;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The waypoint's own answers: plain text for HTTP, trailers-only gRPC status for gRPC. */
@ExtendWith(NettyLeakCheck.class)
class RepliesTest {

    @Test
    void httpGetsTheStatusAndAReason() {
        FullHttpResponse r = Replies.of(ByteBufAllocator.DEFAULT,
                Admission.Reply.of(HttpResponseStatus.FORBIDDEN, "RBAC: access denied", "UAEX"), false);
        try {
            assertEquals(403, r.status().code());
            assertEquals("RBAC: access denied\n", r.content().toString(StandardCharsets.UTF_8));
            assertEquals("20", r.headers().get("content-length"));
        } finally {
            r.release();
        }
    }

    @Test
    void grpcGetsAGrpcStatus() {
        FullHttpResponse r = Replies.of(ByteBufAllocator.DEFAULT,
                Admission.Reply.of(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream request timeout", "UT"), true);
        try {
            assertEquals(200, r.status().code(), "gRPC errors travel in grpc-status, not in the HTTP status");
            assertEquals("4", r.headers().get("grpc-status"), "DEADLINE_EXCEEDED");
            assertEquals(0, r.content().readableBytes());
        } finally {
            r.release();
        }
        assertEquals(7, Replies.grpcStatus(403));
        assertEquals(14, Replies.grpcStatus(503));
        assertEquals(14, Replies.grpcStatus(429));
        assertEquals(12, Replies.grpcStatus(404));
    }
}

package dev.ambient.waypoint.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The waypoint's own answers. A gRPC client cannot read an HTTP error page, so for a gRPC request
 * the answer is, as Envoy makes it, HTTP 200 with the matching {@code grpc-status} and
 * {@code grpc-message} and no body (a trailers-only response).
 */
final class Replies {

    private Replies() {}

    static boolean grpc(HttpHeaders request) {
        String type = request.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/grpc");
    }

    static FullHttpResponse of(ByteBufAllocator alloc, Admission.Reply reply, boolean grpc) {
        FullHttpResponse response;
        if (grpc) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, alloc.buffer(0));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
            response.headers().set("grpc-status", Integer.toString(grpcStatus(reply.status().code())));
            response.headers().set("grpc-message", reply.body().replace("%", "%25")); // gRPC's percent-encoding
        } else {
            ByteBuf body = alloc.buffer().writeBytes((reply.body() + "\n").getBytes(StandardCharsets.UTF_8));
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        reply.headers().forEach(response.headers()::set);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    /** The gRPC code for an HTTP status, as gRPC's own HTTP-to-gRPC mapping and Envoy have it. */
    static int grpcStatus(int http) {
        return switch (http) {
            case 400 -> 13; // INTERNAL
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 12; // UNIMPLEMENTED
            case 429, 502, 503 -> 14; // UNAVAILABLE
            case 504 -> 4; // DEADLINE_EXCEEDED
            default -> 2; // UNKNOWN
        };
    }
}

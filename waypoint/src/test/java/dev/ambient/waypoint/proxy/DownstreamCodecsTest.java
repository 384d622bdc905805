package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ambient.ztunnel.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The waypoint's HTTP/2 front on {@link EmbeddedChannel}s, fed by a real HTTP/2 client: a request
 * carrying connection-specific headers, a {@code te} other than trailers, or an upper-case name is
 * malformed per RFC 9113 section 8.2 and its stream is reset before any handler sees it; a gRPC-style
 * request with {@code te: trailers} passes.
 */
@ExtendWith(NettyLeakCheck.class)
class DownstreamCodecsTest {

    private final List<Object> seen = new ArrayList<>();

    private EmbeddedChannel server() {
        EmbeddedChannel server = new EmbeddedChannel();
        DownstreamCodecs.http2(server.pipeline(), () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                ctx.read();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg instanceof HttpRequest r ? r.headers().get("te") + " " + r.uri()
                        + (msg instanceof LastHttpContent ? " (whole)" : "") : msg.getClass());
                ReferenceCountUtil.release(msg);
                ctx.read();
            }
        });
        return server;
    }

    /** Sends one HEADERS frame (END_STREAM) from a real client; returns what the client got back on its stream. */
    private List<Object> send(Http2Headers headers) {
        EmbeddedChannel server = server();
        List<Object> back = new ArrayList<>();
        EmbeddedChannel client = new EmbeddedChannel(Http2FrameCodecBuilder.forClient().build(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        back.add(msg); // frames from the server, before the multiplexer takes them
                        ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
                    }
                }, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(client).handler(new ChannelInboundHandlerAdapter())
                .open().syncUninterruptibly().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
        for (int round = 0; round < 4; round++) {
            for (ByteBuf b; (b = client.readOutbound()) != null; ) {
                server.writeInbound(b);
            }
            server.runPendingTasks();
            for (ByteBuf b; (b = server.readOutbound()) != null; ) {
                client.writeInbound(b);
            }
        }
        back.forEach(ReferenceCountUtil::release);
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        return back;
    }

    private static Http2Headers request() {
        return new DefaultHttp2Headers(false).method("POST").path("/test.Echo/Echo").scheme("http").authority("grpc");
    }

    @Test
    void aWellFormedGrpcRequestPasses() {
        send(request().add("te", "trailers").add("content-type", "application/grpc"));
        assertEquals(List.of("trailers /test.Echo/Echo (whole)"), seen,
                "te: trailers reaches the request handler; HEADERS with END_STREAM is one whole request");
    }

    @Test
    void malformedRequestsAreResetBeforeAnyHandler() {
        for (Http2Headers bad : List.of(request().add("connection", "keep-alive"), request().add("te", "gzip"),
                request().add("transfer-encoding", "chunked"), request().add("X-Upper", "1"))) {
            seen.clear();
            List<Object> back = send(bad);
            assertEquals(List.of(), seen, "no handler sees " + bad);
            Http2ResetFrame reset = assertInstanceOf(Http2ResetFrame.class,
                    back.stream().filter(Http2ResetFrame.class::isInstance).findFirst().orElse(null), back.toString());
            assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCode(), bad.toString());
        }
    }
}

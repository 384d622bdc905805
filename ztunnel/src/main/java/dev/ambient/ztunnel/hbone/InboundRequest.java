package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetSocketAddress;

/**
 * A CONNECT the HBONE server accepted at the protocol level (method and authority well formed): the
 * stream, the verified identity of the peer, and where the tunnel arrived.
 *
 * @param stream the HTTP/2 stream, auto-read off; nothing has been answered yet
 * @param peer the client's SPIFFE identity, verified during the TLS handshake
 * @param peerAddress the client's socket address (its node, or a waypoint)
 * @param localAddress the address the tunnel arrived on (with capture, the destination pod's IP)
 * @param authority the destination the client asked for
 * @param headers the whole request header block ({@code Forwarded}, {@code baggage}, ...)
 * @param endStream the request HEADERS already ended the client's direction (a half-close, not an error)
 */
public record InboundRequest(
        Http2StreamChannel stream,
        SpiffeId peer,
        InetSocketAddress peerAddress,
        InetSocketAddress localAddress,
        InetSocketAddress authority,
        Http2Headers headers,
        boolean endStream) {

    /** Answers with an error status and ends the stream; the tunnel is refused. */
    public void refuse(int status) {
        refuse(stream, status);
    }

    static void refuse(Http2StreamChannel stream, int status) {
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(HboneHeaders.response(status), true))
                .addListener(f -> stream.close());
    }

    /** Answers 200: the tunnel is up and bytes may flow. */
    public io.netty.channel.ChannelFuture accept() {
        return stream.writeAndFlush(new DefaultHttp2HeadersFrame(HboneHeaders.response(200), false));
    }
}

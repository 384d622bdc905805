package dev.ambient.waypoint.detect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a tunnel carries, told from its first bytes the way Envoy's HTTP inspector does: the HTTP/2
 * connection preface (prior knowledge, as gRPC sends it), an HTTP/1.x request line, or anything
 * else, which stays opaque TCP.
 */
public enum Protocol {
    HTTP1, HTTP2, OPAQUE;

    /** RFC 9113 §3.4: what every HTTP/2 client sends first. */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Longest method token read before the bytes are judged not to be a request line. */
    private static final int MAX_METHOD = 20;

    /**
     * The protocol of a stream that starts with {@code head}, or empty while more bytes are needed to
     * tell. {@code complete}: no more bytes will come, so judge on what there is.
     */
    public static Optional<Protocol> classify(ByteBuf head, boolean complete) {
        int n = head.readableBytes();
        int start = head.readerIndex();
        int prefix = Math.min(n, PREFACE.length);
        if (ByteBufUtil.equals(head, start, io.netty.buffer.Unpooled.wrappedBuffer(PREFACE), 0, prefix)) {
            if (prefix == PREFACE.length) {
                return Optional.of(HTTP2);
            }
            return complete ? Optional.of(OPAQUE) : Optional.empty();
        }
        for (int i = 0; i < Math.min(n, MAX_METHOD + 1); i++) {
            byte b = head.getByte(start + i);
            if (b == ' ') {
                return Optional.of(i > 0 ? HTTP1 : OPAQUE);
            }
            if (!token(b)) {
                return Optional.of(OPAQUE);
            }
        }
        return n > MAX_METHOD || complete ? Optional.of(OPAQUE) : Optional.empty();
    }

    /** RFC 9110 tchar: what a method may be made of. */
    private static boolean token(byte b) {
        return b > 0x20 && b < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
    }
}

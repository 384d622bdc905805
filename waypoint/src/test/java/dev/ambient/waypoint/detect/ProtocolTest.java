package dev.ambient.waypoint.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The first bytes of a tunnel, told apart as Envoy's HTTP inspector tells them. */
class ProtocolTest {

    private static Optional<Protocol> classify(String head, boolean complete) {
        ByteBuf b = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
        try {
            return Protocol.classify(b, complete);
        } finally {
            b.release();
        }
    }

    @Test
    void requestLinesAreHttp1() {
        assertEquals(Optional.of(Protocol.HTTP1), classify("GET / HTTP/1.1\r\n", false));
        assertEquals(Optional.of(Protocol.HTTP1), classify("PROPFIND ", false), "any method token");
        assertEquals(Optional.empty(), classify("GE", false), "too few bytes to tell");
    }

    @Test
    void thePrefaceIsHttp2EvenInPieces() {
        String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        assertEquals(Optional.of(Protocol.HTTP2), classify(preface + "\0\0", false));
        assertEquals(Optional.empty(), classify(preface.substring(0, 10), false), "a preface in pieces waits");
        assertEquals(Optional.of(Protocol.OPAQUE), classify(preface.substring(0, 10), true),
                "a cut-off preface is not HTTP/2");
    }

    @Test
    void anythingElseIsOpaque() {
        assertEquals(Optional.of(Protocol.OPAQUE), classify("\u0016\u0003\u0001\u0002", false), "a TLS ClientHello");
        assertEquals(Optional.of(Protocol.OPAQUE), classify(" GET", false), "no method before the space");
        assertEquals(Optional.of(Protocol.OPAQUE), classify("A".repeat(30), false), "no method is that long");
        assertEquals(Optional.of(Protocol.OPAQUE), classify("GET", true), "no request line ever came");
    }
}

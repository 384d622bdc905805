package dev.ambient.waypoint.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 9110 and 9113 header handling, and the headers a client may not forge. */
class HeaderHygieneTest {

    @Test
    void hopByHopAndConnectionListedHeadersGoTheRestStays() {
        HttpHeaders h = new DefaultHttpHeaders(false);
        h.add("Connection", "keep-alive, X-Secret-Hop");
        h.add("Connection", "close");
        h.add("Keep-Alive", "timeout=5");
        h.add("Transfer-Encoding", "chunked");
        h.add("Upgrade", "websocket");
        h.add("Proxy-Connection", "keep-alive");
        h.add("TE", "trailers");
        h.add("X-Secret-Hop", "1");
        h.add("Content-Type", "text/plain");
        h.add("Authorization", "Bearer t");
        HeaderHygiene.stripHopByHop(h);
        assertEquals(List.of("Content-Type", "Authorization", "te"), List.copyOf(h.names()));
        assertEquals("trailers", h.get("te"), "te: trailers is what gRPC needs end to end; other te values go");
    }

    @Test
    void crLfOrNulInANameOrValueIsRefused() {
        for (String[] bad : new String[][] {{"x-user", "a\r\nx-admin: 1"}, {"x-user", "a\nb"}, {"x-user", "a\u0000"},
                {"x-\nuser", "a"}}) {
            HttpHeaders h = new DefaultHttpHeaders(false);
            h.add(bad[0], bad[1]);
            assertTrue(HeaderHygiene.unsafe(h).isPresent(), bad[0] + ": " + bad[1]);
        }
        HttpHeaders fine = new DefaultHttpHeaders(false);
        fine.add("x-user", "a b\tc");
        assertFalse(HeaderHygiene.unsafe(fine).isPresent());
        assertTrue(HeaderHygiene.unsafe(List.of(Map.entry("x", "1\r"))).isPresent());
    }

    @Test
    void http2ConnectionSpecificHeadersMakeAMessageMalformed() {
        for (String name : List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")) {
            Http2Headers h = new DefaultHttp2Headers(false).method("GET").path("/").add(name, "x");
            assertTrue(HeaderHygiene.connectionSpecific(h).isPresent(), name);
        }
        assertTrue(HeaderHygiene.connectionSpecific(new DefaultHttp2Headers(false).add("te", "gzip")).isPresent());
        assertFalse(HeaderHygiene.connectionSpecific(new DefaultHttp2Headers(false).add("te", "trailers")).isPresent(),
                "gRPC sends te: trailers, which is allowed");
    }

    @Test
    void clientSentInternalHeadersAreStripped() {
        HttpHeaders h = new DefaultHttpHeaders(false);
        h.add("X-Forwarded-Client-Cert", "By=spiffe://evil");
        h.add("x-ambient-peer", "spiffe://cluster.local/ns/x/sa/admin");
        h.add("X-Ambient-Anything", "1");
        h.add("x-request-id", "abc");
        HeaderHygiene.stripInternal(h);
        assertEquals(List.of("x-request-id"), List.copyOf(h.names()));
    }
}

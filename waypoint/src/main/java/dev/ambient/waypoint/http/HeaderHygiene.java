package dev.ambient.waypoint.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a proxy must do to headers before it forwards a request or response, in one place:
 * <ul>
 *   <li>refuse header names or values carrying CR, LF or NUL, which would let one header smuggle
 *       another (or a second request) past the checks made on the first;</li>
 *   <li>HTTP/1.1: drop the hop-by-hop headers (RFC 9110 section 7.6.1) and every header the
 *       {@code Connection} header names; the proxy adds its own headers only afterwards, so a
 *       client cannot use {@code Connection} to remove them;</li>
 *   <li>HTTP/2: refuse a message carrying connection-specific headers, which RFC 9113 section
 *       8.2.2 makes malformed;</li>
 *   <li>drop headers the mesh itself sets for the next hop, so a client cannot forge them.</li>
 * </ul>
 */
public final class HeaderHygiene {

    /** Hop-by-hop in HTTP/1.1: meaningful for one connection only. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive", "te",
            "transfer-encoding", "upgrade", "trailer", "proxy-authenticate", "proxy-authorization");
    /** Set by the mesh for the next hop; never trusted from a client. */
    static final Set<String> INTERNAL = Set.of("x-forwarded-client-cert", "x-ambient-peer", "x-ambient-route");
    private static final String INTERNAL_PREFIX = "x-ambient-";
    /** Netty's HTTP/2-to-HTTP/1 names ({@code x-http2-stream-id}, ...): not the client's to set or the backend's to see. */
    private static final String CONVERSION_PREFIX = "x-http2-";

    private HeaderHygiene() {}

    /** Why these headers cannot be forwarded, or empty. */
    public static Optional<String> unsafe(Iterable<Map.Entry<CharSequence, CharSequence>> headers) {
        for (Map.Entry<CharSequence, CharSequence> h : headers) {
            if (hasBreak(h.getKey()) || hasBreak(h.getValue())) {
                return Optional.of("header " + printable(h.getKey()) + " carries a CR, LF or NUL");
            }
        }
        return Optional.empty();
    }

    /** The HTTP/1.1 form: every header of {@code headers}, as {@link #unsafe(Iterable)} reads them. */
    public static Optional<String> unsafe(HttpHeaders headers) {
        List<Map.Entry<CharSequence, CharSequence>> all = new ArrayList<>();
        headers.iteratorCharSequence().forEachRemaining(all::add);
        return unsafe(all);
    }

    /**
     * Removes the hop-by-hop headers of an HTTP/1.1 message and those its {@code Connection} names,
     * except {@code te: trailers}, which gRPC needs end to end and HTTP/2 allows.
     */
    public static void stripHopByHop(HttpHeaders headers) {
        boolean trailers = headers.getAll("te").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("trailers"));
        for (String listed : headers.getAll("connection")) {
            for (String token : listed.split(",")) {
                String name = token.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
            }
        }
        HOP_BY_HOP.forEach(headers::remove);
        if (trailers) {
            headers.set("te", "trailers");
        }
    }

    /** Why an HTTP/2 header block is malformed by its connection-specific headers, or empty. */
    public static Optional<String> connectionSpecific(Http2Headers headers) {
        for (String name : HOP_BY_HOP) {
            if (name.equals("te")) {
                continue;
            }
            if (headers.contains(name)) {
                return Optional.of("HTTP/2 forbids the connection-specific header " + name);
            }
        }
        for (CharSequence te : headers.getAll("te")) {
            if (!"trailers".contentEquals(te.toString().strip().toLowerCase(Locale.ROOT))) {
                return Optional.of("HTTP/2 allows te only as \"trailers\"");
            }
        }
        return Optional.empty();
    }

    /** Removes headers only the mesh may set. */
    public static void stripInternal(HttpHeaders headers) {
        List<String> names = new ArrayList<>(headers.names());
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (INTERNAL.contains(lower) || lower.startsWith(INTERNAL_PREFIX) || lower.startsWith(CONVERSION_PREFIX)) {
                headers.remove(name);
            }
        }
    }

    private static boolean hasBreak(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return true;
            }
        }
        return false;
    }

    private static String printable(CharSequence name) {
        return name.toString().replaceAll("[\\r\\n\\x00]", "?");
    }
}

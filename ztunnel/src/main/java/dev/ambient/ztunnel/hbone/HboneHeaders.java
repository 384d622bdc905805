package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.net.IpLiteral;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The HBONE CONNECT request and response headers, and strict parsing of the authority. */
public final class HboneHeaders {

    public static final String FORWARDED = "forwarded";
    public static final String BAGGAGE = "baggage";
    public static final String TRACEPARENT = "traceparent";

    private HboneHeaders() {}

    /** CONNECT request headers for {@code target}; a fresh trace id per tunnelled connection. */
    static Http2Headers request(HboneTarget target) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method("CONNECT")
                .authority(hostPort(target.authority()));
        headers.add(FORWARDED, "for=\"" + hostPort(target.clientAddress()) + "\"");
        if (!target.baggage().isEmpty()) {
            headers.add(BAGGAGE, target.baggage());
        }
        headers.add(TRACEPARENT, traceparent());
        return headers;
    }

    public static Http2Headers response(int status) {
        return new DefaultHttp2Headers().status(Integer.toString(status));
    }

    /** {@code ip:port}, IPv6 in brackets as an authority requires. */
    public static String hostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return host + ":" + address.getPort();
    }

    /**
     * Parses an authority that must be an IP literal and a port; names are refused because a tunnel
     * endpoint must never resolve DNS on a peer's behalf.
     */
    public static Optional<InetSocketAddress> parseAuthority(CharSequence authority) {
        if (authority == null) {
            return Optional.empty();
        }
        String text = authority.toString();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return IpLiteral.parse(host).map(ip -> new InetSocketAddress(ip, port));
    }

    private static String traceparent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("00-%016x%016x-%016x-00", random.nextLong(), random.nextLong(), random.nextLong() | 1);
    }
}

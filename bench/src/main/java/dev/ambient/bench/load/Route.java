package dev.ambient.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client connection reaches its server in one scenario: the address it leaves from (the
 * source address is what names the client workload to ztunnel), where it connects, and, when the
 * first hop is a SOCKS5 proxy, the destination it asks that proxy for.
 *
 * @param source local address to bind before connecting
 * @param connect the first hop
 * @param socksDestination the final destination named in a SOCKS5 CONNECT, when the first hop is SOCKS5
 */
public record Route(InetAddress source, InetSocketAddress connect, Optional<InetSocketAddress> socksDestination) {

    public Route {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(socksDestination, "socksDestination");
    }

    /** A plain TCP connection from {@code source} to {@code connect}. */
    public static Route tcp(InetAddress source, InetSocketAddress connect) {
        return new Route(source, connect, Optional.empty());
    }

    /** A connection from {@code source} through the SOCKS5 proxy at {@code proxy} to {@code destination}. */
    public static Route socks5(InetAddress source, InetSocketAddress proxy, InetSocketAddress destination) {
        return new Route(source, proxy, Optional.of(destination));
    }

    @Override
    public String toString() {
        String from = source.getHostAddress() + " → " + connect.getAddress().getHostAddress() + ":" + connect.getPort();
        return socksDestination.map(d -> from + " (SOCKS5) → " + d.getAddress().getHostAddress() + ":" + d.getPort())
                .orElse(from);
    }
}

package dev.ambient.bench.load;

import dev.ambient.sys.NetNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client connection reaches its server in one scenario: the network namespace it is opened in
 * (a pod's, so that capture sees it as that pod's traffic; none means this process's own), the address
 * it leaves from (the source address is what names the client workload to ztunnel), where it
 * connects, and, when the first hop is a SOCKS5 proxy, the destination it asks that proxy for.
 *
 * @param source local address to bind before connecting
 * @param connect the first hop
 * @param socksDestination the final destination named in a SOCKS5 CONNECT, when the first hop is SOCKS5
 * @param namespace the network namespace the socket is created in, when not this process's
 */
public record Route(InetAddress source, InetSocketAddress connect, Optional<InetSocketAddress> socksDestination,
        Optional<NetNamespace> namespace) {

    public Route {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(socksDestination, "socksDestination");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** A plain TCP connection from {@code source} to {@code connect}. */
    public static Route tcp(InetAddress source, InetSocketAddress connect) {
        return new Route(source, connect, Optional.empty(), Optional.empty());
    }

    /** A connection from {@code source} through the SOCKS5 proxy at {@code proxy} to {@code destination}. */
    public static Route socks5(InetAddress source, InetSocketAddress proxy, InetSocketAddress destination) {
        return new Route(source, proxy, Optional.of(destination), Optional.empty());
    }

    /**
     * A plain TCP connection made inside the pod namespace {@code pod}, from the pod's address
     * {@code source} to {@code connect}, as the pod's application would make it.
     */
    public static Route fromPod(NetNamespace pod, InetAddress source, InetSocketAddress connect) {
        return new Route(source, connect, Optional.empty(), Optional.of(pod));
    }

    @Override
    public String toString() {
        String from = source.getHostAddress() + " → " + connect.getAddress().getHostAddress() + ":" + connect.getPort();
        String in = namespace.map(ns -> " (in netns " + ns.path().getFileName() + ")").orElse("");
        return socksDestination.map(d -> from + " (SOCKS5) → " + d.getAddress().getHostAddress() + ":" + d.getPort())
                .orElse(from) + in;
    }
}

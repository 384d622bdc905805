package dev.ambient.bench.proxies;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A self-contained HAProxy configuration for one pod's sidecar, doing what our sidecar does with
 * mutual TLS: outbound connections captured to 15001 leave as TLS with the pod's certificate to the
 * peer (whose sidecar's inbound capture takes them to its 15006), inbound TLS on 15006 with a
 * mandatory client certificate is delivered to the app. One process, one thread, TCP mode, TLS 1.3,
 * no logging; it drops to {@code uid} after reading its files, and that user is what the pod's capture
 * rules exempt (HAProxy cannot mark its upstream sockets).
 *
 * @param pidFile where it writes its pid
 * @param uid the user (and group) it runs as
 * @param outboundTo where outbound connections go (the peer pod's application address)
 * @param inboundTo where inbound connections are delivered (this pod's application)
 * @param certificateBundle this pod's certificate followed by its key (PEM), as HAProxy's {@code crt} takes it
 * @param roots roots the peer's certificate must chain to
 * @param serverName the DNS name the peer's server certificate must carry
 */
public record HaproxyConfig(Path pidFile, int uid, InetSocketAddress outboundTo, InetSocketAddress inboundTo,
        Path certificateBundle, Path roots, String serverName) {

    public HaproxyConfig {
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(outboundTo, "outboundTo");
        Objects.requireNonNull(inboundTo, "inboundTo");
        Objects.requireNonNull(certificateBundle, "certificateBundle");
        Objects.requireNonNull(roots, "roots");
        if (!serverName.matches("[a-z0-9.-]+")) {
            throw new IllegalArgumentException("not a DNS name: " + serverName);
        }
    }

    public String render() {
        return """
                # HAProxy sidecar of one bench pod; generated for one run.
                global
                    nbthread 1
                    uid %1$d
                    gid %1$d
                    pidfile %2$s
                    ssl-default-bind-options ssl-min-ver TLSv1.3
                    ssl-default-server-options ssl-min-ver TLSv1.3
                    tune.ssl.default-dh-param 2048

                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 5m
                    timeout server 5m

                frontend outbound
                    bind 0.0.0.0:15001
                    default_backend peer

                backend peer
                    server peer %3$s ssl crt %4$s ca-file %5$s verify required verifyhost %6$s sni str(%6$s)

                frontend inbound
                    bind 0.0.0.0:15006 ssl crt %4$s ca-file %5$s verify required
                    default_backend app

                backend app
                    server app %7$s
                """.formatted(uid, path(pidFile), address(outboundTo), path(certificateBundle), path(roots), serverName,
                address(inboundTo));
    }

    private static String address(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static String path(Path path) {
        String s = path.toString();
        if (!s.matches("[A-Za-z0-9._/+-]+")) {
            throw new IllegalArgumentException("HAProxy paths here must be plain (letters, digits, ._/+-): " + s);
        }
        return s;
    }
}

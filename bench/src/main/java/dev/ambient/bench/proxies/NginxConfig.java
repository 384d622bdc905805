package dev.ambient.bench.proxies;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A self-contained nginx configuration for one side of an nginx pair: foreground, one worker, its own
 * pid, error log and temporary files, nothing read from the system's configuration. At the stream
 * layer it relays each connection's bytes; at the http layer it reads each HTTP/1.1 request and
 * forwards it over a pool of kept-alive upstream connections, as an L7 proxy does.
 *
 * @param role a word for the header comment ("client", "server")
 * @param layer what nginx proxies: connections or requests
 * @param streamModule the dynamic stream module to load, when nginx was built that way (stream layer only)
 * @param pidFile where the master writes its pid; temporary files go beside it
 * @param errorLog nginx's own log
 * @param servers the forwarding rules
 * @param user the user and group the worker runs as ("nobody nogroup"), when the master runs as root
 *     and the worker's connections must be told apart by user (a sidecar's capture rules exempt it)
 */
public record NginxConfig(String role, Layer layer, Optional<Path> streamModule, Path pidFile, Path errorLog,
        List<Server> servers, Optional<String> user) {

    /** What nginx proxies. */
    public enum Layer {
        /** Connections, byte for byte ({@code stream}). */
        STREAM,
        /** HTTP/1.1 requests, each forwarded on a pooled upstream connection ({@code http}). */
        HTTP
    }

    /** Idle upstream connections each worker keeps per peer at the http layer. */
    static final int UPSTREAM_KEEPALIVE = 64;

    /**
     * Accepts TLS with a mandatory client certificate.
     *
     * @param certificate this side's certificate (PEM)
     * @param key its private key (PEM)
     * @param clientRoots roots a client certificate must chain to
     */
    public record AcceptTls(Path certificate, Path key, Path clientRoots) {}

    /**
     * Dials TLS with a client certificate and verifies the server's.
     *
     * @param certificate this side's certificate (PEM)
     * @param key its private key (PEM)
     * @param trustedRoots roots the server certificate must chain to
     * @param serverName the name the server certificate must carry (nginx always checks one)
     */
    public record DialTls(Path certificate, Path key, Path trustedRoots, String serverName) {}

    /** One listener and where it forwards to, optionally terminating or originating TLS. */
    public record Server(InetSocketAddress listen, InetSocketAddress proxyPass, Optional<AcceptTls> accept,
            Optional<DialTls> dial) {}

    /** A stream-layer configuration. */
    public NginxConfig(String role, Optional<Path> streamModule, Path pidFile, Path errorLog, List<Server> servers,
            Optional<String> user) {
        this(role, Layer.STREAM, streamModule, pidFile, errorLog, servers, user);
    }

    public NginxConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(streamModule, "streamModule");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(errorLog, "errorLog");
        servers = List.copyOf(servers);
        Objects.requireNonNull(user, "user");
        user.filter(u -> !u.matches("[a-z_][a-z0-9_-]*( [a-z_][a-z0-9_-]*)?")).ifPresent(u -> {
            throw new IllegalArgumentException("not a user and group: " + u);
        });
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# nginx ").append(role).append(" of the bench; generated for one run.\n");
        if (layer == Layer.STREAM) {
            streamModule.ifPresent(m -> out.append("load_module ").append(quote(m)).append(";\n"));
        }
        user.ifPresent(u -> out.append("user ").append(u).append(";\n"));
        out.append("daemon off;\n")
                .append("worker_processes 1;\n")
                .append("pid ").append(quote(pidFile)).append(";\n")
                .append("error_log ").append(quote(errorLog)).append(" warn;\n")
                .append("events {\n    worker_connections 1024;\n}\n");
        if (layer == Layer.STREAM) {
            stream(out);
        } else {
            http(out);
        }
        return out.toString();
    }

    private void stream(StringBuilder out) {
        out.append("stream {\n");
        for (Server s : servers) {
            out.append("    server {\n");
            out.append("        listen ").append(address(s.listen())).append(s.accept().isPresent() ? " ssl" : "")
                    .append(";\n");
            s.accept().ifPresent(tls -> accept(out, tls, "        "));
            out.append("        proxy_pass ").append(address(s.proxyPass())).append(";\n");
            // Carry a client's half-close through, as ztunnel does; the bulk sink answers only at EOF.
            out.append("        proxy_half_close on;\n");
            s.dial().ifPresent(tls -> dial(out.append("        proxy_ssl on;\n"), tls, "        "));
            out.append("    }\n");
        }
        out.append("}\n");
    }

    /**
     * Requests kept alive on both sides for as long as the load runs (nginx closes a connection after
     * 1000 requests by default, which the load generator would count as errors), no access log, and
     * temporary files beside the pid file, where the worker's user may write.
     */
    private void http(StringBuilder out) {
        out.append("http {\n")
                .append("    access_log off;\n")
                .append("    keepalive_requests 1000000;\n")
                .append("    keepalive_timeout 300s;\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            out.append("    ").append(temp).append("_temp_path ")
                    .append(quote(pidFile.resolveSibling(temp + "_temp"))).append(";\n");
        }
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            out.append("    upstream peer_").append(i).append(" {\n")
                    .append("        server ").append(address(s.proxyPass())).append(";\n")
                    .append("        keepalive ").append(UPSTREAM_KEEPALIVE).append(";\n")
                    .append("        keepalive_requests 1000000;\n")
                    .append("        keepalive_timeout 300s;\n")
                    .append("    }\n");
            out.append("    server {\n");
            out.append("        listen ").append(address(s.listen())).append(s.accept().isPresent() ? " ssl" : "")
                    .append(";\n");
            s.accept().ifPresent(tls -> accept(out, tls, "        "));
            out.append("        location / {\n")
                    .append("            proxy_pass ").append(s.dial().isPresent() ? "https" : "http")
                    .append("://peer_").append(i).append(";\n")
                    .append("            proxy_http_version 1.1;\n")
                    .append("            proxy_set_header Connection \"\";\n");
            s.dial().ifPresent(tls -> dial(out, tls, "            "));
            out.append("        }\n    }\n");
        }
        out.append("}\n");
    }

    private static void accept(StringBuilder out, AcceptTls tls, String indent) {
        out.append(indent).append("ssl_protocols TLSv1.3;\n")
                .append(indent).append("ssl_certificate ").append(quote(tls.certificate())).append(";\n")
                .append(indent).append("ssl_certificate_key ").append(quote(tls.key())).append(";\n")
                .append(indent).append("ssl_client_certificate ").append(quote(tls.clientRoots())).append(";\n")
                .append(indent).append("ssl_verify_client on;\n")
                .append(indent).append("ssl_verify_depth 2;\n");
    }

    private static void dial(StringBuilder out, DialTls tls, String indent) {
        out.append(indent).append("proxy_ssl_protocols TLSv1.3;\n")
                .append(indent).append("proxy_ssl_certificate ").append(quote(tls.certificate())).append(";\n")
                .append(indent).append("proxy_ssl_certificate_key ").append(quote(tls.key())).append(";\n")
                .append(indent).append("proxy_ssl_trusted_certificate ").append(quote(tls.trustedRoots())).append(";\n")
                .append(indent).append("proxy_ssl_verify on;\n")
                .append(indent).append("proxy_ssl_verify_depth 2;\n")
                .append(indent).append("proxy_ssl_name ").append(tls.serverName()).append(";\n")
                .append(indent).append("proxy_ssl_session_reuse on;\n");
    }

    private static String address(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static String quote(Path path) {
        String s = path.toString();
        if (s.contains("\"") || s.contains("\\")) {
            throw new IllegalArgumentException("nginx paths cannot contain quotes or backslashes: " + s);
        }
        return "\"" + s + "\"";
    }
}

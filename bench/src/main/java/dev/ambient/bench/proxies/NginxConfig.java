package dev.ambient.bench.proxies;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A self-contained nginx configuration for one side of the nginx pair: foreground, one worker,
 * its own pid and error log, stream proxying only, nothing read from the system's configuration.
 *
 * @param role a word for the header comment ("client", "server")
 * @param streamModule the dynamic stream module to load, when nginx was built that way
 * @param pidFile where the master writes its pid
 * @param errorLog nginx's own log
 * @param servers the forwarding rules
 * @param user the user and group the worker runs as ("nobody nogroup"), when the master runs as root
 *     and the worker's connections must be told apart by user (a sidecar's capture rules exempt it)
 */
public record NginxConfig(String role, Optional<Path> streamModule, Path pidFile, Path errorLog, List<Server> servers,
        Optional<String> user) {

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

    public NginxConfig {
        Objects.requireNonNull(role, "role");
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
        streamModule.ifPresent(m -> out.append("load_module ").append(quote(m)).append(";\n"));
        user.ifPresent(u -> out.append("user ").append(u).append(";\n"));
        out.append("daemon off;\n")
                .append("worker_processes 1;\n")
                .append("pid ").append(quote(pidFile)).append(";\n")
                .append("error_log ").append(quote(errorLog)).append(" warn;\n")
                .append("events {\n    worker_connections 1024;\n}\n")
                .append("stream {\n");
        for (Server s : servers) {
            out.append("    server {\n");
            out.append("        listen ").append(address(s.listen())).append(s.accept().isPresent() ? " ssl" : "")
                    .append(";\n");
            s.accept().ifPresent(tls -> out
                    .append("        ssl_protocols TLSv1.3;\n")
                    .append("        ssl_certificate ").append(quote(tls.certificate())).append(";\n")
                    .append("        ssl_certificate_key ").append(quote(tls.key())).append(";\n")
                    .append("        ssl_client_certificate ").append(quote(tls.clientRoots())).append(";\n")
                    .append("        ssl_verify_client on;\n")
                    .append("        ssl_verify_depth 2;\n"));
            out.append("        proxy_pass ").append(address(s.proxyPass())).append(";\n");
            // Carry a client's half-close through, as ztunnel does; the bulk sink answers only at EOF.
            out.append("        proxy_half_close on;\n");
            s.dial().ifPresent(tls -> out
                    .append("        proxy_ssl on;\n")
                    .append("        proxy_ssl_protocols TLSv1.3;\n")
                    .append("        proxy_ssl_certificate ").append(quote(tls.certificate())).append(";\n")
                    .append("        proxy_ssl_certificate_key ").append(quote(tls.key())).append(";\n")
                    .append("        proxy_ssl_trusted_certificate ").append(quote(tls.trustedRoots())).append(";\n")
                    .append("        proxy_ssl_verify on;\n")
                    .append("        proxy_ssl_verify_depth 2;\n")
                    .append("        proxy_ssl_name ").append(tls.serverName()).append(";\n")
                    .append("        proxy_ssl_session_reuse on;\n"));
            out.append("    }\n");
        }
        out.append("}\n");
        return out.toString();
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

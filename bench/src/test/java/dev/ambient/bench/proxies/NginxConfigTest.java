package dev.ambient.bench.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NginxConfigTest {

    private static final Path DIR = Path.of("/tmp/bench/work");
    private static final InetSocketAddress CLIENT_LISTEN = new InetSocketAddress("127.0.0.2", 20001);
    private static final InetSocketAddress SERVER_LISTEN = new InetSocketAddress("127.0.0.3", 20002);
    private static final InetSocketAddress UPSTREAM = new InetSocketAddress("127.0.0.3", 8080);

    private static NginxConfig clientSide(Optional<Path> module) {
        var dial = new NginxConfig.DialTls(DIR.resolve("client-cert.pem"), DIR.resolve("client-key.pem"),
                DIR.resolve("root-cert.pem"), "server.demo.svc.cluster.local");
        return new NginxConfig("client", module, DIR.resolve("client/nginx.pid"), DIR.resolve("client-error.log"),
                List.of(new NginxConfig.Server(CLIENT_LISTEN, SERVER_LISTEN, Optional.empty(), Optional.of(dial))), Optional.empty());
    }

    private static NginxConfig serverSide() {
        var accept = new NginxConfig.AcceptTls(DIR.resolve("server-cert.pem"), DIR.resolve("server-key.pem"),
                DIR.resolve("root-cert.pem"));
        return new NginxConfig("server", Optional.empty(), DIR.resolve("server/nginx.pid"),
                DIR.resolve("server-error.log"),
                List.of(new NginxConfig.Server(SERVER_LISTEN, UPSTREAM, Optional.of(accept), Optional.empty())), Optional.of("nobody nogroup"));
    }

    @Test
    void clientSideListensInPlaintextAndDialsVerifiedMutualTls13() {
        String conf = clientSide(Optional.of(Path.of("/usr/lib/nginx/modules/ngx_stream_module.so"))).render();
        assertTrue(conf.startsWith("# nginx client of the bench"), conf);
        assertTrue(conf.contains("load_module \"/usr/lib/nginx/modules/ngx_stream_module.so\";\n"), conf);
        assertTrue(conf.contains("daemon off;\n"));
        assertTrue(conf.contains("worker_processes 1;\n"));
        assertTrue(conf.contains("pid \"/tmp/bench/work/client/nginx.pid\";\n"));
        assertTrue(conf.contains("error_log \"/tmp/bench/work/client-error.log\" warn;\n"));
        assertTrue(conf.contains("listen 127.0.0.2:20001;\n"), conf);
        assertTrue(conf.contains("proxy_pass 127.0.0.3:20002;\n"));
        assertTrue(conf.contains("proxy_ssl on;\n"));
        assertTrue(conf.contains("proxy_ssl_protocols TLSv1.3;\n"));
        assertTrue(conf.contains("proxy_ssl_certificate \"/tmp/bench/work/client-cert.pem\";\n"));
        assertTrue(conf.contains("proxy_ssl_certificate_key \"/tmp/bench/work/client-key.pem\";\n"));
        assertTrue(conf.contains("proxy_ssl_trusted_certificate \"/tmp/bench/work/root-cert.pem\";\n"));
        assertTrue(conf.contains("proxy_ssl_verify on;\n"));
        assertTrue(conf.contains("proxy_ssl_name server.demo.svc.cluster.local;\n"));
        assertTrue(conf.contains("proxy_half_close on;\n"));
        assertFalse(conf.contains("ssl_verify_client"), "the client side does not terminate TLS");
        assertBalanced(conf);
    }

    @Test
    void serverSideTerminatesTlsRequiringAClientCertificate() {
        String conf = serverSide().render();
        assertFalse(conf.contains("load_module"), "a static stream module needs no load_module");
        assertTrue(conf.contains("listen 127.0.0.3:20002 ssl;\n"), conf);
        assertTrue(conf.contains("ssl_protocols TLSv1.3;\n"));
        assertTrue(conf.contains("ssl_certificate \"/tmp/bench/work/server-cert.pem\";\n"));
        assertTrue(conf.contains("ssl_certificate_key \"/tmp/bench/work/server-key.pem\";\n"));
        assertTrue(conf.contains("ssl_client_certificate \"/tmp/bench/work/root-cert.pem\";\n"));
        assertTrue(conf.contains("ssl_verify_client on;\n"));
        assertTrue(conf.contains("proxy_pass 127.0.0.3:8080;\n"));
        assertFalse(conf.contains("proxy_ssl on"), "the server side forwards in plaintext");
        assertTrue(conf.contains("\nuser nobody nogroup;\n"), "a sidecar's worker runs as the exempt user: " + conf);
        assertBalanced(conf);
    }

    @Test
    void httpLayerReadsRequestsAndPoolsMutualTlsUpstreamConnections() {
        var dial = new NginxConfig.DialTls(DIR.resolve("client-cert.pem"), DIR.resolve("client-key.pem"),
                DIR.resolve("root-cert.pem"), "server.demo.svc.cluster.local");
        var accept = new NginxConfig.AcceptTls(DIR.resolve("server-cert.pem"), DIR.resolve("server-key.pem"),
                DIR.resolve("root-cert.pem"));
        String conf = new NginxConfig("sidecar", NginxConfig.Layer.HTTP,
                Optional.of(Path.of("/usr/lib/nginx/modules/ngx_stream_module.so")), DIR.resolve("pod/nginx.pid"),
                DIR.resolve("pod/error.log"), List.of(
                        new NginxConfig.Server(CLIENT_LISTEN, SERVER_LISTEN, Optional.empty(), Optional.of(dial)),
                        new NginxConfig.Server(SERVER_LISTEN, UPSTREAM, Optional.of(accept), Optional.empty())),
                Optional.of("nobody nogroup")).render();
        assertFalse(conf.contains("load_module"), "http needs no stream module: " + conf);
        assertFalse(conf.contains("stream {"), conf);
        assertTrue(conf.contains("http {\n    access_log off;\n"), conf);
        assertTrue(conf.contains("    keepalive_requests 1000000;\n"), conf);
        assertTrue(conf.contains("    client_body_temp_path \"/tmp/bench/work/pod/client_body_temp\";\n"), conf);
        assertTrue(conf.contains("    proxy_temp_path \"/tmp/bench/work/pod/proxy_temp\";\n"), conf);
        assertTrue(conf.contains("    upstream peer_0 {\n        server 127.0.0.3:20002;\n        keepalive 64;\n"), conf);
        assertTrue(conf.contains("    upstream peer_1 {\n        server 127.0.0.3:8080;\n"), conf);
        assertTrue(conf.contains("        listen 127.0.0.2:20001;\n        location / {\n"
                + "            proxy_pass https://peer_0;\n            proxy_http_version 1.1;\n"
                + "            proxy_set_header Connection \"\";\n            proxy_ssl_protocols TLSv1.3;\n"), conf);
        assertTrue(conf.contains("            proxy_ssl_verify on;\n"), conf);
        assertTrue(conf.contains("            proxy_ssl_name server.demo.svc.cluster.local;\n"), conf);
        assertTrue(conf.contains("            proxy_ssl_session_reuse on;\n"), conf);
        assertFalse(conf.contains("proxy_ssl on;"), "http originates TLS by the https scheme: " + conf);
        assertFalse(conf.contains("proxy_half_close"), conf);
        assertTrue(conf.contains("        listen 127.0.0.3:20002 ssl;\n        ssl_protocols TLSv1.3;\n"), conf);
        assertTrue(conf.contains("        ssl_verify_client on;\n"), conf);
        assertTrue(conf.contains("            proxy_pass http://peer_1;\n"), conf);
        assertBalanced(conf);
    }

    @Test
    void pathsThatWouldBreakQuotingAreRefused() {
        NginxConfig bad = new NginxConfig("client", Optional.empty(), Path.of("/tmp/a\"b/nginx.pid"),
                DIR.resolve("e.log"), List.of(), Optional.empty());
        assertThrows(IllegalArgumentException.class, bad::render);
        assertThrows(IllegalArgumentException.class, () -> new NginxConfig("client", Optional.empty(),
                DIR.resolve("nginx.pid"), DIR.resolve("e.log"), List.of(), Optional.of("root;\nevil")));
    }

    private static void assertBalanced(String conf) {
        assertEquals(conf.chars().filter(c -> c == '{').count(), conf.chars().filter(c -> c == '}').count(), conf);
    }
}

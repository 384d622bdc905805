package dev.ambient.bench.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NginxInstallationTest {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final String DEBIAN = """
            nginx version: nginx/1.22.1
            built with OpenSSL 3.0.20 7 Apr 2026 (running with OpenSSL 3.0.19 27 Jan 2026)
            TLS SNI support enabled
            configure arguments: --with-cc-opt='-g -O2' --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf \
            --modules-path=/usr/lib/nginx/modules --with-http_ssl_module --with-stream_ssl_module \
            --with-stream_ssl_preread_module --with-stream_realip_module --with-mail=dynamic --with-stream=dynamic \
            --with-stream_geoip_module=dynamic
            """;

    @Test
    void debianLoadsTheStreamModuleFromItsModulesPath() {
        var d = NginxInstallation.fromVersionOutput(NGINX, DEBIAN, p -> true);
        NginxInstallation nginx = d.installation().orElseThrow();
        assertEquals("nginx/1.22.1", nginx.version());
        assertEquals(Optional.of(Path.of("/usr/lib/nginx/modules/ngx_stream_module.so")), nginx.streamModule());
    }

    @Test
    void aMissingDynamicModuleSaysWhichPackageToInstall() {
        var d = NginxInstallation.fromVersionOutput(NGINX, DEBIAN, p -> false);
        assertTrue(d.installation().isEmpty());
        assertTrue(d.problem().contains("/usr/lib/nginx/modules/ngx_stream_module.so"), d.problem());
        assertTrue(d.problem().contains("apt-get install libnginx-mod-stream"), d.problem());
    }

    @Test
    void aStaticStreamModuleNeedsNoLoading() {
        String out = "nginx version: nginx/1.25.0\nconfigure arguments: --prefix=/opt/nginx --with-stream"
                + " --with-stream_ssl_module\n";
        NginxInstallation nginx = NginxInstallation.fromVersionOutput(NGINX, out, p -> false).installation().orElseThrow();
        assertEquals(Optional.empty(), nginx.streamModule());
    }

    @Test
    void withoutStreamOrStreamTlsItCannotRun() {
        var none = NginxInstallation.fromVersionOutput(NGINX,
                "nginx version: nginx/1.24.0\nconfigure arguments: --with-http_ssl_module\n", p -> true);
        assertTrue(none.problem().contains("without the stream module"), none.problem());
        var noTls = NginxInstallation.fromVersionOutput(NGINX,
                "nginx version: nginx/1.24.0\nconfigure arguments: --with-stream\n", p -> true);
        assertTrue(noTls.problem().contains("--with-stream_ssl_module"), noTls.problem());
        var garbage = NginxInstallation.fromVersionOutput(NGINX, "nginx: [emerg] something\n", p -> true);
        assertTrue(garbage.installation().isEmpty());
    }

    @Test
    void theModulesPathDefaultsToThePrefix() {
        String out = "nginx version: nginx/1.25.0\nconfigure arguments: --prefix=/opt/nginx --with-stream=dynamic"
                + " --with-stream_ssl_module\n";
        NginxInstallation nginx = NginxInstallation.fromVersionOutput(NGINX, out, p -> true).installation().orElseThrow();
        assertEquals(Optional.of(Path.of("/opt/nginx/modules/ngx_stream_module.so")), nginx.streamModule());
    }
}

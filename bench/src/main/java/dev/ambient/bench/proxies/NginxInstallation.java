package dev.ambient.bench.proxies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The distribution's nginx, if it can run the nginx scenario: it needs the stream module with TLS.
 * Debian builds the stream module as a dynamic module shipped in a separate package, so a plain
 * {@code apt-get install nginx --no-install-recommends} lacks it; the problem says how to fix that.
 *
 * @param binary the nginx executable
 * @param version e.g. {@code nginx/1.22.1}
 * @param streamModule the module to {@code load_module}, when stream is built as a dynamic module
 */
public record NginxInstallation(Path binary, String version, Optional<Path> streamModule) {

    /** Where distributions put nginx. */
    static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/bin/nginx"), Path.of("/usr/local/nginx/sbin/nginx"));

    /** Either an installation or the reason the nginx scenario cannot run. */
    public record Detection(Optional<NginxInstallation> installation, String problem) {
        static Detection missing(String problem) {
            return new Detection(Optional.empty(), problem);
        }
    }

    public NginxInstallation {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(streamModule, "streamModule");
    }

    /** Looks for nginx and asks it ({@code nginx -V}) how it was built. */
    public static Detection detect() {
        Optional<Path> binary = CANDIDATES.stream().filter(Files::isExecutable).findFirst();
        if (binary.isEmpty()) {
            return Detection.missing("nginx is not installed (looked in " + CANDIDATES + "); install it with"
                    + " apt-get install nginx libnginx-mod-stream (./mesh bench does this itself)");
        }
        try {
            Process p = new ProcessBuilder(binary.get().toString(), "-V").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Detection.missing(binary.get() + " -V failed: " + out.trim());
            }
            return fromVersionOutput(binary.get(), out, Files::isRegularFile);
        } catch (IOException e) {
            return Detection.missing("cannot run " + binary.get() + " -V: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Detection.missing("interrupted while asking nginx for its build options");
        }
    }

    /** Reads the output of {@code nginx -V}; {@code exists} checks module files. */
    static Detection fromVersionOutput(Path binary, String output, Predicate<Path> exists) {
        String version = line(output, "nginx version:").map(String::trim).orElse("nginx (unknown version)");
        Optional<String> configure = line(output, "configure arguments:");
        if (configure.isEmpty()) {
            return Detection.missing(binary + " -V printed no configure arguments; cannot tell whether it has the"
                    + " stream module");
        }
        List<String> args = Arrays.asList(configure.get().trim().split("\\s+"));
        boolean staticStream = args.contains("--with-stream");
        boolean dynamicStream = args.contains("--with-stream=dynamic");
        if (!staticStream && !dynamicStream) {
            return Detection.missing(version + " at " + binary + " was built without the stream module (--with-stream),"
                    + " which the nginx scenario needs");
        }
        if (!args.contains("--with-stream_ssl_module")) {
            return Detection.missing(version + " at " + binary + " was built without stream TLS"
                    + " (--with-stream_ssl_module), which the nginx scenario needs");
        }
        if (staticStream) {
            return new Detection(Optional.of(new NginxInstallation(binary, version, Optional.empty())), "");
        }
        Path modules = option(args, "--modules-path=").map(Path::of)
                .orElse(Path.of(option(args, "--prefix=").orElse("/usr/local/nginx"), "modules"));
        Path module = modules.resolve("ngx_stream_module.so");
        if (!exists.test(module)) {
            return Detection.missing(version + " has the stream module only as a dynamic module and " + module
                    + " is missing; install it with: apt-get install libnginx-mod-stream");
        }
        return new Detection(Optional.of(new NginxInstallation(binary, version, Optional.of(module))), "");
    }

    private static Optional<String> line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }

    private static Optional<String> option(List<String> args, String prefix) {
        return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst();
    }
}

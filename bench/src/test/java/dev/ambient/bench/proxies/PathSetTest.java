package dev.ambient.bench.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without nginx the run goes on with what it has and says why; with nothing to run it stops. */
class PathSetTest {

    private static final InetSocketAddress UPSTREAM = new InetSocketAddress("127.0.0.3", 8080);
    private static final InetSocketAddress SINK = new InetSocketAddress("127.0.0.3", 8081);

    @TempDir
    Path dir;

    @Test
    void aMissingNginxIsSkippedWithItsReason() throws Exception {
        List<String> said = new ArrayList<>();
        var missing = Optional.of(NginxInstallation.Detection.missing("nginx is not installed"));
        try (ChildProcesses children = new ChildProcesses();
                PathSet set = PathSet.start(List.of(Scenario.DIRECT, Scenario.NGINX), missing, children, dir, dir,
                        UPSTREAM, SINK, said::add)) {
            assertEquals(List.of(Scenario.DIRECT), set.paths().stream().map(ProxyPath::scenario).toList());
            assertEquals("nginx is not installed", set.notRun().get(Scenario.NGINX));
            assertTrue(said.contains("nginx scenario NOT RUN: nginx is not installed"), said.toString());
        }
    }

    @Test
    void nothingToRunIsAnError() throws Exception {
        var missing = Optional.of(NginxInstallation.Detection.missing("nginx is not installed"));
        try (ChildProcesses children = new ChildProcesses()) {
            BenchException e = assertThrows(BenchException.class, () -> PathSet.start(List.of(Scenario.NGINX), missing,
                    children, dir, dir, UPSTREAM, SINK, line -> { }));
            assertTrue(e.getMessage().contains("no scenario can run"), e.getMessage());
        }
    }
}

package dev.ambient.bench.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Bench;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.LoadGenerator;
import dev.ambient.bench.load.LoadPlan;
import dev.ambient.bench.load.LoadResult;
import dev.ambient.bench.load.MeasurementWindow;
import dev.ambient.bench.load.Route;
import dev.ambient.sys.Commands;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Root only, a few seconds, no agents: the capture cluster's pods really talk from namespace to
 * namespace (the load generator's sockets are made in the client pod, the upstream listens in the
 * server pod, neither exists in this process's own namespace), and closing it leaves nothing behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaptureClusterNamespacedTest {

    @Test
    void loadFlowsBetweenPodNamespacesAndTeardownRemovesEverything() throws Exception {
        assertEquals("0", Commands.run("id", "-u").strip(),
                "this test builds network namespaces and mounts a bpffs: run the bench tests as root");
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("test-capture", true));
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), "capture-cluster-").toAbsolutePath();
        String namespaces;
        try (CaptureCluster cluster = CaptureCluster.create(dir, transport, group);
                LoadGenerator load = new LoadGenerator(new Connector(group, transport.socketChannel(),
                        Duration.ofSeconds(5)))) {
            Route route = cluster.route(Scenario.NETNS_DIRECT);
            assertTrue(route.namespace().isPresent());
            LoadPlan plan = new LoadPlan(200, 4, Duration.ofMillis(200), Duration.ofMillis(500), Bench.BODY_BYTES);
            LoadResult result = load.run(route, plan, new SplittableRandom(7), MeasurementWindow.NONE);
            assertEquals(0, result.errors(), result.errorSamples().toString());
            assertEquals(100, result.measuredOk());
            namespaces = cluster.cluster().podNamespace("bare", "client");
            assertTrue(Commands.run("ip", "netns", "list").contains(namespaces));
            assertTrue(Commands.run("mount").contains(dir.resolve("bpffs").toString()), "the private bpffs is mounted");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        assertFalse(Commands.run("ip", "netns", "list").contains(namespaces), "the pod namespaces are gone");
        assertFalse(Commands.run("mount").contains(dir.resolve("bpffs").toString()), "the bpffs is unmounted");
    }
}

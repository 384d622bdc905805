package dev.ambient.ztunnel.meshfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads follow the file's content; a file caught empty mid-write never wipes the state. */
class MeshFileSourceTest {

    private static final String ONE_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: ns}
            spec: {nodeName: n1}
            status: {podIP: 10.0.0.1}
            """;

    @Test
    void editsReloadAndAnEmptyFileKeepsTheLastState(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mesh.yaml");
        Files.writeString(file, ONE_POD);
        StateStore store = new StateStore(MeshSnapshot.empty("cluster.local"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (MeshFileSource source = new MeshFileSource(file, new SnapshotBuilder("cluster.local", "istio-system",
                "cluster.local", Clock.systemUTC()), store, scheduler, Duration.ofSeconds(60))) {
            source.start();
            assertEquals(1, store.current().workloads().size());
            Files.writeString(file, "");
            source.poll();
            assertEquals(1, store.current().workloads().size(), "an empty read must not unenrol everything");
            Files.writeString(file, ONE_POD + "---\n" + ONE_POD.replace("name: a", "name: b").replace("10.0.0.1", "10.0.0.2"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (store.current().workloads().size() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(10); // the directory watch reloads without waiting for the 60 s poll
            }
            assertEquals(2, store.current().workloads().size(), "an edit is picked up by the watch");
        } finally {
            scheduler.shutdownNow();
        }
    }
}

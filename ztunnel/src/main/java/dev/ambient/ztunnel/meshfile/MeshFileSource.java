package dev.ambient.ztunnel.meshfile;

import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a {@link StateStore} from a mesh file and reloads it when its content changes. Polling the
 * content (not inotify) also catches editors that replace the file by renaming and files on mounted
 * volumes (a ConfigMap's symlink swap). An unreadable file keeps the last good state.
 */
public final class MeshFileSource implements AutoCloseable {

    private static final Logger LOG = System.getLogger(MeshFileSource.class.getName());

    private final Path file;
    private final MeshFileParser parser = new MeshFileParser();
    private final SnapshotBuilder builder;
    private final StateStore store;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private byte[] lastContent;
    private long version;
    private ScheduledFuture<?> task;

    public MeshFileSource(Path file, SnapshotBuilder builder, StateStore store, ScheduledExecutorService scheduler,
            Duration interval) {
        this.file = Objects.requireNonNull(file, "file");
        this.builder = Objects.requireNonNull(builder, "builder");
        this.store = Objects.requireNonNull(store, "store");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /**
     * Loads the file once (failing if it cannot be read, so a typo in a path stops startup with a clear
     * message) and then watches it.
     */
    public synchronized MeshSnapshot start() throws IOException {
        byte[] content = Files.readAllBytes(file);
        load(content);
        task = scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return store.current();
    }

    /** Re-reads the file now; used by the poller and by tests that do not want to wait. */
    public synchronized void poll() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "mesh file " + file + " cannot be read (" + e + "); keeping state version " + version);
            return;
        }
        if (!Arrays.equals(content, lastContent)) {
            load(content);
        }
    }

    private void load(byte[] content) {
        lastContent = content;
        version++;
        KubeObjects objects = parser.parse(new String(content, StandardCharsets.UTF_8), file.toString());
        MeshSnapshot snapshot = builder.build(version, objects);
        store.swap(snapshot);
        LOG.log(Level.INFO, "loaded " + file + " version " + version + ": " + snapshot.workloads().size()
                + " workloads, " + snapshot.services().size() + " services, " + snapshot.policies().size()
                + " policies, " + snapshot.rejected().size() + " rejected");
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}

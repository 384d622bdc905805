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
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a {@link StateStore} from a mesh file and reloads it when its content changes. A watch on the
 * file's directory (inotify) reloads within milliseconds of an edit; polling the content as well
 * catches what a watch misses (files on some mounted volumes, a ConfigMap's symlink swap). An
 * unreadable file keeps the last good state.
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
    private WatchService watcher;

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
        watch();
        return store.current();
    }

    /** Reloads as soon as something in the file's directory changes; the poller remains the fallback. */
    private void watch() {
        Path dir = file.toAbsolutePath().getParent();
        try {
            WatchService service = dir.getFileSystem().newWatchService();
            dir.register(service, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE);
            watcher = service;
            Thread.ofPlatform().daemon().name("mesh-file-watch").start(() -> {
                try {
                    while (true) {
                        WatchKey key = service.take();
                        boolean replaced = false;
                        for (var event : key.pollEvents()) {
                            replaced |= event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                                    && file.getFileName().equals(event.context());
                        }
                        key.reset();
                        // A file renamed into place is complete: read it now. A file written in place
                        // may be mid-write (truncate, then write): give the writer a moment.
                        scheduler.schedule(this::poll, replaced ? 0 : 50, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException | ClosedWatchServiceException | java.util.concurrent.RejectedExecutionException e) {
                    // closed
                }
            });
        } catch (IOException e) {
            LOG.log(Level.INFO, "cannot watch " + dir + " (" + e.getMessage() + "); polling every "
                    + interval.toMillis() + " ms");
        }
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
        if (content.length == 0 && lastContent != null && lastContent.length > 0) {
            // Almost always a file caught mid-write; an empty mesh would unenrol every pod at once.
            LOG.log(Level.WARNING, "mesh file " + file + " is empty; keeping state version " + version
                    + " (write an explicit file to remove everything)");
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
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}

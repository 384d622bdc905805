package dev.ambient.daemonset.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The mesh file a local cluster's agents read: the user's file completed by {@link WaypointPods},
 * written again whenever the user's file changes, so live edits (labels, policies, routes) still
 * reach the agents. A file that does not parse is passed on as it is, for the agents to report.
 */
public final class CompletedMeshFile implements AutoCloseable {

    private static final Logger LOG = System.getLogger(CompletedMeshFile.class.getName());

    private final Path user;
    private final Path completed;
    private final ScheduledExecutorService poller;
    private String lastSeen;

    private CompletedMeshFile(Path user, Path completed) {
        this.user = user;
        this.completed = completed;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-file-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes {@code completed} from {@code user} now, then keeps it in step every half second. */
    public static CompletedMeshFile start(Path user, Path completed) throws IOException {
        CompletedMeshFile f = new CompletedMeshFile(user, completed);
        f.sync();
        f.poller.scheduleWithFixedDelay(() -> {
            try {
                f.sync();
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.WARNING, "cannot bring " + completed + " up to date with " + user + ": " + e);
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        return f;
    }

    public Path path() {
        return completed;
    }

    /** The completed text as last written. */
    public String text() throws IOException {
        return Files.readString(completed);
    }

    private void sync() throws IOException {
        String text = Files.readString(user);
        if (text.equals(lastSeen)) {
            return;
        }
        String out;
        try {
            out = WaypointPods.complete(text, user.toString());
        } catch (RuntimeException unreadable) {
            out = text;
        }
        Path tmp = completed.resolveSibling(completed.getFileName() + ".tmp");
        Files.writeString(tmp, out);
        Files.move(tmp, completed, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        lastSeen = text;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}

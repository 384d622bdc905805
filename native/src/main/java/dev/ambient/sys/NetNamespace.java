package dev.ambient.sys;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A network namespace, held open by a file descriptor. {@link #call} runs code on a fresh platform
 * thread that has entered the namespace: every socket that code creates (listening or connecting)
 * lives in that namespace for good, and may then be used from any thread. Only the network
 * namespace is entered, so the caller's mounts (bpffs, cgroups) stay visible.
 */
public final class NetNamespace implements AutoCloseable {

    private final Path path;
    private final int fd;
    private boolean closed;

    private NetNamespace(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens the namespace at {@code path} (for example {@code /proc/PID/ns/net}). */
    public static NetNamespace open(Path path) {
        int fd = Native.check(Native.libc().open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC), "open(" + path + ")");
        return new NetNamespace(path, fd);
    }

    /** Opens a namespace created by {@code ip netns add NAME}. */
    public static NetNamespace named(String name) {
        return open(Path.of("/run/netns", name));
    }

    public Path path() {
        return path;
    }

    /** Runs {@code task} inside this namespace and returns its result; its exceptions pass through. */
    public <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        // A thread that switched namespaces is never reused: each call gets its own.
        Thread thread = Thread.ofPlatform().daemon().name("netns-" + path.getFileName()).start(() -> {
            try {
                Native.check(Native.libc().setns(fd, LibC.CLONE_NEWNET), "setns(" + path + ")");
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            thread.join();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.libc().close(fd);
        }
    }
}

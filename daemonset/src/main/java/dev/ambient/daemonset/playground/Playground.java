package dev.ambient.daemonset.playground;

import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.sys.Commands;
import java.nio.file.Path;
import java.util.List;

/** What {@code up}, {@code status} and {@code down} share. */
final class Playground {

    private Playground() {}

    static void requireRoot(String command) {
        if (!"0".equals(Commands.run("id", "-u").strip())) {
            System.err.println(command + ": needs root, to create network namespaces and load eBPF programs");
            System.exit(1);
        }
    }

    /** Removes every local cluster (agents, namespaces) and unmounts the playground's bpffs. */
    static List<String> down(Path work) {
        stopRunningUp(work);
        List<String> removed = LocalCluster.removeLeftovers();
        for (Path bpffs : List.of(work.resolve("bpffs"), work.resolveSibling("demo").resolve("bpffs"))) {
            Commands.quietly("umount", bpffs.toString());
        }
        return removed;
    }

    /** A {@code mesh up} still running tears its own cluster down on SIGTERM; wait for it briefly. */
    private static void stopRunningUp(Path work) {
        Path pidFile = work.resolve("up.pid");
        try {
            long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
            if (pid != ProcessHandle.current().pid()) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroy();
                    p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
            }
            java.nio.file.Files.deleteIfExists(pidFile);
        } catch (java.io.IOException | NumberFormatException ignored) {
            // no playground was up
        }
    }
}

package dev.ambient.daemonset.playground;

import java.nio.file.Path;
import java.util.List;

/** {@code mesh down}: removes every local cluster (agents, namespaces, bpffs mounts) a run left behind. */
public final class DownMain {

    private DownMain() {}

    public static void main(String[] args) {
        Path work = Path.of(args.length == 1 && args[0].startsWith("--work=") ? args[0].substring(7) : ".mesh/up");
        List<String> removed = Playground.down(work.toAbsolutePath());
        System.out.println(removed.isEmpty() ? "nothing to remove"
                : "removed " + removed.size() + " namespace(s) and their agents: " + String.join(" ", removed));
    }
}

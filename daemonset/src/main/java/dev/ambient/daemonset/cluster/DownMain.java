package dev.ambient.daemonset.cluster;

import java.util.List;

/** {@code mesh down}: removes every local-cluster namespace (and the agents in them) a previous run left. */
public final class DownMain {

    private DownMain() {}

    public static void main(String[] args) {
        List<String> removed = LocalCluster.removeLeftovers();
        System.out.println(removed.isEmpty() ? "nothing to remove"
                : "removed " + removed.size() + " namespace(s): " + String.join(" ", removed));
    }
}

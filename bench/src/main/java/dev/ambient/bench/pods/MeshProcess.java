package dev.ambient.bench.pods;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One process of the mesh started for the pod benchmark: a node agent, a sidecar, or a C proxy in a
 * pod, with what is needed to tell when it is ready and to account its CPU and memory to its node.
 *
 * @param role how the report names it ("sidecar sidecar/client-3")
 * @param node the node it runs on (a sidecar runs on its pod's node)
 * @param pid the process, whose descendants count with it
 * @param launchedNanos {@link System#nanoTime} just before it was started
 * @param ready answers whether it can proxy now; it may throw while the process is still starting
 * @param alive whether the process still runs
 */
record MeshProcess(String role, String node, long pid, long launchedNanos, Callable<Boolean> ready, Alive alive) {

    /** Whether the process still runs, with the end of its log when not. */
    interface Alive {
        boolean isAlive();

        String describeExit();
    }

    MeshProcess {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(alive, "alive");
    }
}

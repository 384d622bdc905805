package dev.ambient.daemonset.incluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * A cluster process's start-up: a setting, file or Secret it cannot use ends the process with one
 * line that names it (what {@code kubectl logs} shows an operator), not a stack trace.
 */
public final class Startup {

    private Startup() {}

    /** Runs {@code start}; on a refusal, prints {@code mesh <command>: <why>} and exits 1. */
    public static <T> T orExit(String command, Callable<T> start) throws Exception {
        try {
            return start.call();
        } catch (KubernetesClientException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return exit(command, "the API server " + (e.getCode() <= 0 ? "cannot be reached" : "answered "
                    + e.getCode()) + ": " + e.getMessage() + (root == e ? "" : " (" + root + ")"));
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return exit(command, e.getMessage());
        }
    }

    private static <T> T exit(String command, String why) {
        System.err.println("mesh " + command + ": cannot start: " + why);
        System.exit(1);
        throw new AssertionError("unreachable");
    }
}

package dev.ambient.bench.report;

import java.util.Objects;

/**
 * One label flip: the enrolling label written into the mesh file, new connections opened from a pod
 * of that namespace every few milliseconds until one was captured; then the label removed, until one
 * was not.
 *
 * @param trial 1-based
 * @param onMillis from writing the label to the start of the first connection that was captured; NaN
 *     when none was within the bound
 * @param onConnections connections opened until then
 * @param offMillis from removing the label to the start of the first connection that was not captured;
 *     NaN when every connection within the bound was
 * @param error what went wrong, empty when nothing did
 */
public record FlipTrial(int trial, double onMillis, int onConnections, double offMillis, String error) {

    public FlipTrial {
        Objects.requireNonNull(error, "error");
    }

    public boolean captured() {
        return !Double.isNaN(onMillis);
    }
}

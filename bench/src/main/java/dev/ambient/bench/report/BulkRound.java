package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.Objects;

/**
 * One scenario's bulk transfer in one round.
 *
 * @param round 1-based
 * @param bytes bytes streamed
 * @param megabytesPerSecond decimal MB/s, NaN when the transfer failed
 * @param error why it failed, empty when it did not
 */
public record BulkRound(int round, Scenario scenario, long bytes, double megabytesPerSecond, String error) {

    public BulkRound {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(error, "error");
    }

    public boolean ok() {
        return error.isEmpty();
    }
}

package dev.ambient.bench.bulk;

/**
 * One completed bulk transfer.
 *
 * @param bytes bytes sent and confirmed by the sink
 * @param nanos from the first byte written until the sink's count arrived
 */
public record BulkResult(long bytes, long nanos) {

    /** Decimal megabytes (10^6 bytes) per second. */
    public double megabytesPerSecond() {
        return nanos <= 0 ? 0 : bytes / (nanos / 1e9) / 1e6;
    }

    public double seconds() {
        return nanos / 1e9;
    }
}

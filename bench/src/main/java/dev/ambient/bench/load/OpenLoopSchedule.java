package dev.ambient.bench.load;

/**
 * When each request of an open-loop run is due, fixed before the first one is sent. Requests are
 * numbered 0, 1, 2, … and evenly spaced at {@code 1/rate}; request {@code i} belongs to connection
 * {@code i mod connections}, so every connection sends at {@code rate/connections} with its phase
 * shifted by one global interval from its neighbour's. Latency is measured from these times, not
 * from when a request actually left, so a stalled connection cannot hide its queueing delay
 * (coordinated omission).
 *
 * @param startNanos {@link System#nanoTime()} at which request 0 is due
 * @param rate requests per second over all connections
 * @param connections connections the requests are spread over
 * @param warmupNanos requests due before {@code startNanos + warmupNanos} are sent but not recorded
 * @param totalNanos requests are due from {@code startNanos} until {@code startNanos + totalNanos}
 */
public record OpenLoopSchedule(long startNanos, int rate, int connections, long warmupNanos, long totalNanos) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public OpenLoopSchedule {
        if (rate < 1 || connections < 1) {
            throw new IllegalArgumentException("rate and connections must be positive, got " + rate + " and " + connections);
        }
        if (warmupNanos < 0 || totalNanos <= warmupNanos) {
            throw new IllegalArgumentException("need 0 <= warm-up < total, got " + warmupNanos + " and " + totalNanos);
        }
    }

    /** When request {@code index} is due, in {@link System#nanoTime()} terms. */
    public long sendTime(long index) {
        return startNanos + offset(index);
    }

    /** How long after the start request {@code index} is due. */
    public long offset(long index) {
        return index * NANOS_PER_SECOND / rate;
    }

    /** Requests due before the end: every {@code index < total()} is sent. */
    public long total() {
        return firstAtOrAfter(totalNanos);
    }

    /** The first request whose latency is recorded. */
    public long firstMeasured() {
        return firstAtOrAfter(warmupNanos);
    }

    /** Requests whose latency is recorded. */
    public long measuredCount() {
        return total() - firstMeasured();
    }

    public boolean measured(long index) {
        return index >= firstMeasured();
    }

    /** The connection that sends request {@code index}. */
    public int connectionOf(long index) {
        return (int) (index % connections);
    }

    /** The request after {@code index} on the same connection. */
    public long nextOnConnection(long index) {
        return index + connections;
    }

    /** How many requests connection {@code connection} sends in the whole run. */
    public long requestsOn(int connection) {
        long total = total();
        return connection >= total ? 0 : (total - connection + connections - 1) / connections;
    }

    /** When recording begins. */
    public long measureStartNanos() {
        return startNanos + warmupNanos;
    }

    /** When the last request is due at the latest. */
    public long endNanos() {
        return startNanos + totalNanos;
    }

    /** The smallest index whose offset is at or after {@code nanos}: ceil(nanos * rate / 1e9). */
    private long firstAtOrAfter(long nanos) {
        return Math.ceilDiv(Math.multiplyExact(nanos, (long) rate), NANOS_PER_SECOND);
    }
}

package dev.ambient.bench.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * How late a 1 ms sleep in this JVM wakes up during the recorded window. It measures the machine
 * and the bench itself, not the proxies: a run whose latency outliers coincide with large hiccups
 * was disturbed (a noisy neighbour, our own GC), while outliers without hiccups belong to the path
 * under test.
 */
public final class HiccupMeter implements MeasurementWindow {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Histogram lateness = new Histogram(1_000, TimeUnit.SECONDS.toNanos(60), 2);
    private final long maxNanos;
    private volatile boolean running;
    private Thread thread;

    /** {@code limit} bounds the sampling even if {@link #closed} is never called. */
    public HiccupMeter(Duration limit) {
        this.maxNanos = limit.toNanos();
    }

    @Override
    public synchronized void opened() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("bench-hiccups").start(this::sample);
    }

    private void sample() {
        long end = System.nanoTime() + maxNanos;
        long next = System.nanoTime() + INTERVAL_NANOS;
        while (running && next < end) {
            LockSupport.parkNanos(next - System.nanoTime());
            long now = System.nanoTime();
            synchronized (lateness) {
                lateness.recordValue(Math.min(Math.max(0, now - next), lateness.getHighestTrackableValue()));
            }
            next = now + INTERVAL_NANOS;
        }
    }

    @Override
    public synchronized void closed() {
        running = false;
        if (thread != null) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Lateness percentiles in µs; NaN when nothing was sampled. */
    public LatencySummary summary() {
        synchronized (lateness) {
            return LatencySummary.of(lateness);
        }
    }
}

package dev.ambient.bench.proc;

import dev.ambient.bench.load.MeasurementWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cores the whole machine kept busy over the recorded window. On the local cluster every "node"
 * shares this machine, so this is what all nodes, the load generator and the servers spent together.
 * The root cpuacct cgroup's {@code cpuacct.usage} is read when present: it adds up the scheduler's
 * exact run time of every task. The fallback, {@code /proc/stat}, is sampled at timer ticks, and a
 * tickless kernel misses the short bursts a proxy's work comes in (measured here: a fifth of what the
 * processes' own counters show), so it would understate the cost of exactly this kind of load.
 */
public final class MachineCpu implements MeasurementWindow {

    private static final Path CPUACCT = Path.of("/sys/fs/cgroup/cpuacct/cpuacct.usage");

    private final Path stat;
    private final long ticksPerSecond;
    private final Path cpuacct;
    private volatile long startBusy;
    private volatile long startNanos;
    private volatile double cores = Double.NaN;

    /** {@code cpuacct} is read in preference to {@code stat} when it exists. */
    public MachineCpu(Path cpuacct, Path stat, long ticksPerSecond) {
        this.cpuacct = cpuacct;
        this.stat = stat;
        this.ticksPerSecond = ticksPerSecond;
    }

    public static MachineCpu system() {
        return new MachineCpu(CPUACCT, Path.of("/proc/stat"), ClockTicks.perSecond());
    }

    @Override
    public void opened() {
        startNanos = System.nanoTime();
        startBusy = busyNanos();
    }

    @Override
    public void closed() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        long busy = busyNanos();
        cores = busy < 0 || startBusy < 0 || wall <= 0 ? Double.NaN : (busy - startBusy) / 1e9 / wall;
    }

    /** Busy cores over the window; NaN until it closed or when /proc/stat could not be read. */
    public double cores() {
        return cores;
    }

    /** Busy nanoseconds so far: cpuacct's count, else the ticks of {@code /proc/stat} converted, or -1. */
    long busyNanos() {
        try {
            if (Files.isReadable(cpuacct)) {
                return Long.parseLong(Files.readString(cpuacct).strip());
            }
            for (String line : Files.readAllLines(stat)) {
                if (line.startsWith("cpu ")) {
                    return busy(line) * (1_000_000_000L / ticksPerSecond);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** user + nice + system + irq + softirq + steal of the {@code cpu} line, in ticks. */
    static long busy(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long sum = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) { // idle, iowait
                sum += Long.parseLong(f[i]);
            }
        }
        return sum;
    }
}

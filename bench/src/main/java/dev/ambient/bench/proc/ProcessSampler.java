package dev.ambient.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads CPU time and memory of a process and its descendants from {@code /proc}. Descendants count
 * because nginx does its work in worker processes forked from the master we started.
 */
public final class ProcessSampler {

    private final Path proc;
    private final long ticksPerSecond;

    public ProcessSampler(Path proc, long ticksPerSecond) {
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** The live system's {@code /proc}. */
    public static ProcessSampler system() {
        return new ProcessSampler(Path.of("/proc"), ClockTicks.perSecond());
    }

    /**
     * CPU seconds (user + system) used so far by {@code pid} and its live descendants, including
     * descendants that have exited and were waited for (counted in their parent's child times, so
     * every tick is counted once whether the child is alive at a sample or not).
     */
    public double cpuSeconds(long pid) {
        long ticks = 0;
        for (long p : tree(pid)) {
            ticks += stat(p).map(ProcStat::cpuTicksWithReapedChildren).orElse(0L);
        }
        return ticks / (double) ticksPerSecond;
    }

    /** Memory of {@code pid} plus its live descendants. */
    public ProcMemory memory(long pid) {
        ProcMemory sum = new ProcMemory(0, 0);
        for (long p : tree(pid)) {
            OptionalLong rss = ProcMemory.field(read(p, "status"), "VmRSS:");
            OptionalLong pss = ProcMemory.field(read(p, "smaps_rollup"), "Pss:");
            sum = sum.plus(new ProcMemory(rss.orElse(0), pss.orElse(-1)));
        }
        return sum;
    }

    /** {@code pid} followed by its live descendants. */
    List<Long> tree(long pid) {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> out.add(d.pid())));
        return out;
    }

    private Optional<ProcStat> stat(long pid) {
        return ProcStat.parse(read(pid, "stat"));
    }

    private String read(long pid, String file) {
        try {
            return Files.readString(proc.resolve(Long.toString(pid)).resolve(file));
        } catch (IOException e) {
            return "";
        }
    }
}

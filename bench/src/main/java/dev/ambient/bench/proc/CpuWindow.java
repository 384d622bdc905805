package dev.ambient.bench.proc;

import dev.ambient.bench.load.MeasurementWindow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CPU used by named processes over the recorded part of a run: CPU seconds at the end minus at the
 * start, divided by the wall time between, i.e. how many cores each process kept busy.
 */
public final class CpuWindow implements MeasurementWindow {

    private final ProcessSampler sampler;
    private final Map<String, Long> pids;
    private final Map<String, Double> startCpu = new LinkedHashMap<>();
    private final Map<String, Double> cores = new LinkedHashMap<>();
    private volatile long startNanos;

    /** {@code pids} maps a role ("node-a", "nginx client") to the pid to watch, with its descendants. */
    public CpuWindow(ProcessSampler sampler, Map<String, Long> pids) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.pids = Map.copyOf(pids);
    }

    @Override
    public synchronized void opened() {
        startNanos = System.nanoTime();
        pids.forEach((role, pid) -> startCpu.put(role, sampler.cpuSeconds(pid)));
    }

    @Override
    public synchronized void closed() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        pids.forEach((role, pid) -> {
            double used = sampler.cpuSeconds(pid) - startCpu.getOrDefault(role, 0.0);
            cores.put(role, wall > 0 ? used / wall : Double.NaN);
        });
    }

    /** Cores used per role during the window; empty until the window has closed. */
    public synchronized Map<String, Double> coresUsed() {
        return Map.copyOf(cores);
    }
}

package dev.ambient.bench.report;

import java.util.Objects;

/**
 * One pod scenario's latency run in one round, with what the whole machine spent meanwhile.
 *
 * @param run the run; its cores are those of the scenario's mesh processes (all nodes)
 * @param machineCores cores the whole machine kept busy over the recorded window (from /proc/stat):
 *     every local node, the load generator and the servers
 */
public record PodRound(LatencyRound run, double machineCores) {

    public PodRound {
        Objects.requireNonNull(run, "run");
    }

    /** Machine vCPU per 1000 requests/s served. */
    public double machineVcpuPer1k() {
        return run.achievedRate() <= 0 ? Double.NaN : machineCores / (run.achievedRate() / 1000);
    }
}

package dev.ambient.bench.pods;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.bench.pods.PodLayout.Pod;
import dev.ambient.bench.report.ReadyTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings a mode's pods {@code from..to-1} under the mesh and waits until they are: for ambient (with
 * or without a waypoint), the pods appear in the mesh file and both agents enrol them; for a sidecar mode, each pod's capture
 * rules and proxy start and the proxy becomes ready. Returns how long each pod waited.
 */
final class ModeStart {

    private static final List<String> AGENT_FLAGS = List.of("--drain-timeout", "1s");

    private ModeStart() {}

    /**
     * The agents of an ambient group, started and ready (before any of its pods is in the mesh file, or
     * after); then, where the group has a waypoint, its proxy ready, as a waypoint is deployed before
     * the pods that use it. (A waypoint's pod runs its own proxy: the agents never capture it.)
     */
    static void startAgents(ModeProcesses mode) throws BenchException, InterruptedException {
        ReadyWatch.await(mode.startAgents(AGENT_FLAGS), Duration.ofSeconds(60));
        ReadyWatch.await(mode.startWaypoint(), Duration.ofSeconds(60));
    }

    /**
     * Pods of pairs {@code from..to-1} of {@code group} join: their ready times, in pod order. For
     * ambient the mesh file is rewritten to list the first {@code to} pairs of the group.
     */
    static List<ReadyTime> join(PodCluster cluster, ModeProcesses mode, Group group, int from, int to)
            throws BenchException, InterruptedException {
        List<ReadyTime> out = new ArrayList<>();
        int batch = 2 * (to - from);
        if (group.mode() == Scenario.POD_DIRECT) {
            return out; // no mesh: nothing to wait for
        }
        if (group.ambient()) {
            List<Pod> pods = new ArrayList<>();
            for (int i = from; i < to; i++) {
                pods.add(group.client(i));
                pods.add(group.server(i));
            }
            long at = cluster.writeMesh(group, to);
            Map<Pod, Double> enrolled = EnrolmentWatch.await(pods, mode.agentLogs(), at,
                    Duration.ofSeconds(30 + batch / 2));
            enrolled.forEach((pod, ms) -> out.add(new ReadyTime(group.mode(), pod.key(), batch, ms)));
            return out;
        }
        List<MeshProcess> started = mode.startSidecars(from, to);
        Map<MeshProcess, Double> ready = ReadyWatch.await(started, Duration.ofSeconds(60 + 3L * batch));
        ready.forEach((p, ms) -> out.add(new ReadyTime(group.mode(), p.role().substring(p.role().indexOf(' ') + 1),
                batch, ms)));
        return out;
    }
}

package dev.ambient.daemonset.process;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.ClusterSpec.PodSpec;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.sidecar.SidecarInitMain;
import dev.ambient.sys.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mesh's processes on a local cluster, as a cluster would run them: a node agent per node, for
 * each pod in sidecar mode the init step (its capture rules) and its own proxy process, and for each
 * waypoint pod the waypoint's proxy.
 */
public final class MeshProcesses implements AutoCloseable {

    private final Map<String, NodeProcess> agents = new LinkedHashMap<>();
    private final Map<String, NodeProcess> sidecars = new LinkedHashMap<>();

    private MeshProcesses() {}

    /**
     * Starts everything and waits until all of it is ready; on failure stops what it started.
     *
     * @param bpffs a mounted bpffs for the agents' pins
     */
    public static MeshProcesses start(LocalCluster cluster, Path mesh, Path caDir, Path logs, Path bpffs,
            List<String> agentFlags, Duration timeout) throws Exception {
        MeshProcesses processes = new MeshProcesses();
        try {
            ClusterSpec spec = cluster.spec();
            List<String> flags = new ArrayList<>(List.of("--bpffs", bpffs.toString()));
            flags.addAll(agentFlags);
            for (String node : spec.nodes().keySet()) {
                processes.agents.put(node, NodeProcess.startAgent(node, cluster.nodeNamespace(node), mesh, caDir, logs,
                        flags));
            }
            for (PodSpec pod : spec.pods()) {
                if (pod.waypoint()) {
                    String ns = cluster.podNamespace(pod.namespace(), pod.name());
                    processes.sidecars.put(pod.key(), NodeProcess.startWaypoint(pod.key(), ns, mesh, caDir, logs));
                } else if (pod.sidecar()) {
                    String ns = cluster.podNamespace(pod.namespace(), pod.name());
                    initSidecarCapture(ns);
                    processes.sidecars.put(pod.key(), NodeProcess.startSidecar(pod.key(), ns, mesh, caDir, logs, List.of()));
                }
            }
            for (NodeProcess p : processes.all()) {
                p.awaitReady(15021, timeout);
            }
            return processes;
        } catch (Exception | Error e) {
            processes.close();
            throw e;
        }
    }

    /** {@code mesh sidecar-init} inside the pod's namespace, as the pod's init container would. */
    public static void initSidecarCapture(String podNamespace) {
        Commands.run(Commands.inNetns(podNamespace,
                JavaCommand.of(List.of(), SidecarInitMain.class.getName(), List.of())));
    }

    public Map<String, NodeProcess> agents() {
        return Map.copyOf(agents);
    }

    /** Per-pod proxy processes (sidecars and waypoints) by pod ({@code namespace/name}). */
    public Map<String, NodeProcess> sidecars() {
        return Map.copyOf(sidecars);
    }

    public List<NodeProcess> all() {
        List<NodeProcess> all = new ArrayList<>(agents.values());
        all.addAll(sidecars.values());
        return all;
    }

    @Override
    public void close() {
        NodeProcess.closeAll(List.copyOf(sidecars.values()));
        NodeProcess.closeAll(List.copyOf(agents.values()));
    }
}

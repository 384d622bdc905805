package dev.ambient.bench.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capture cluster's mesh file says what the scenarios assume: who is where, and who is enrolled. */
class CaptureMeshTest {

    private static KubeObjects parse(boolean flip) {
        return new MeshFileParser().parse(CaptureMesh.yaml(flip), "capture.yaml");
    }

    private static MeshSnapshot snapshot(boolean flip) {
        return new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC())
                .build(1, parse(flip));
    }

    private static boolean inMesh(MeshSnapshot snapshot, CaptureMesh.Pod pod) {
        return snapshot.workload(IpLiteral.parse(pod.ip()).orElseThrow()).map(Workload::inMesh).orElseThrow();
    }

    @Test
    void everyObjectLoadsAndTheNodesComeInOrder() {
        KubeObjects objects = parse(false);
        assertEquals(List.of(), objects.rejected());
        ClusterSpec spec = ClusterSpec.of(objects);
        assertEquals(List.of("node-a", "node-b", "node-c", "node-d"), List.copyOf(spec.nodes().keySet()));
        assertEquals(CaptureMesh.PODS.size(), spec.pods().size());
        for (CaptureMesh.Pod pod : CaptureMesh.PODS) {
            assertEquals(pod.node(), spec.pod(pod.namespace(), pod.name()).node(), pod.key());
        }
    }

    @Test
    void onlyTheMeshNamespaceIsEnrolledUntilTheFlipLabelIsWritten() {
        MeshSnapshot off = snapshot(false);
        assertTrue(inMesh(off, CaptureMesh.MESH_CLIENT));
        assertTrue(inMesh(off, CaptureMesh.MESH_SERVER));
        for (CaptureMesh.Pod pod : List.of(CaptureMesh.PLAIN_CLIENT, CaptureMesh.PLAIN_SERVER, CaptureMesh.BARE_CLIENT,
                CaptureMesh.BARE_SERVER, CaptureMesh.FLIP_CLIENT)) {
            assertFalse(inMesh(off, pod), pod.key());
        }
        MeshSnapshot on = snapshot(true);
        assertTrue(inMesh(on, CaptureMesh.FLIP_CLIENT));
        assertFalse(inMesh(on, CaptureMesh.PLAIN_CLIENT));
    }

    @Test
    void theBaselineNeverCrossesAnAgentsNodeAndTheOthersAlwaysDo() {
        CaptureMesh.Pair base = CaptureMesh.pair(Scenario.NETNS_DIRECT);
        assertFalse(CaptureMesh.AGENT_NODES.contains(base.client().node()));
        assertFalse(CaptureMesh.AGENT_NODES.contains(base.server().node()));
        for (Scenario s : Scenario.CAPTURE.subList(1, Scenario.CAPTURE.size())) {
            CaptureMesh.Pair pair = CaptureMesh.pair(s);
            assertEquals("node-a", pair.client().node(), s.label());
            assertEquals("node-b", pair.server().node(), s.label());
        }
        assertNotEquals(CaptureMesh.pair(Scenario.CAPTURE_PASSTHROUGH).server(),
                CaptureMesh.pair(Scenario.CAPTURE_HBONE).server());
        assertThrows(IllegalArgumentException.class, () -> CaptureMesh.pair(Scenario.DIRECT));
    }
}

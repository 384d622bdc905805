package dev.ambient.bench.proxies;

import dev.ambient.ztunnel.meshfile.LoopbackPods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.LoopbackHosts;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The mesh file is read by ztunnel's own parser exactly as the two processes will read it. */
class LoopbackPodsMeshTest {

    @Test
    void placesTheTwoEnrolledPodsOnTheirNodes() {
        MeshSnapshot snapshot = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC())
                .build(1, new MeshFileParser().parse(LoopbackPods.meshYaml(80, ""), "mesh.yaml"));
        assertTrue(snapshot.rejected().isEmpty(), snapshot.rejected().toString());
        Workload client = snapshot.workload(LoopbackHosts.CLIENT).orElseThrow();
        Workload server = snapshot.workload(LoopbackHosts.SERVER).orElseThrow();
        assertEquals("node-a", client.node());
        assertEquals("node-b", server.node());
        assertTrue(client.inMesh() && server.inMesh());
        assertEquals(LoopbackPods.CLIENT_ID, client.identity().toString());
        assertEquals(LoopbackPods.SERVER_ID, server.identity().toString());
        assertTrue(snapshot.policies().isEmpty(), "no policy: the data path alone is measured");
    }
}

package dev.ambient.bench.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodLayoutTest {

    private final PodLayout layout = PodLayout.of(List.of(Scenario.POD_DIRECT, Scenario.AMBIENT,
            Scenario.AMBIENT_WAYPOINT, Scenario.NGINX_L7_SIDECAR), 2);

    private static ClusterSpec spec(String yaml) {
        return ClusterSpec.of(new MeshFileParser().parse(yaml, "bench.yaml"));
    }

    @Test
    void theWaypointGroupDeclaresItsGatewayPodServiceAndPolicy() {
        Group g = layout.group(Scenario.AMBIENT_WAYPOINT);
        assertTrue(g.ambient());
        PodWaypoint w = g.waypoint().orElseThrow();
        assertEquals("ambient-waypoint/waypoint-0", w.pod().key());
        assertEquals("ambient-waypoint-b", w.pod().node());
        assertEquals("10.62.2.250", w.pod().ip());
        assertEquals("10.96.2.10", w.serviceIp());
        assertEquals(80, w.service().getPort());
        String yaml = layout.yaml();
        assertTrue(yaml.contains("metadata: {name: ambient-waypoint, labels: {istio.io/dataplane-mode: ambient,"
                + " istio.io/use-waypoint: waypoint}}"), yaml);
        assertTrue(yaml.contains("spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008,"
                + " protocol: HBONE}]}"), yaml);
        assertTrue(yaml.contains("ports: [{name: http, port: 80, targetPort: 8080}]"), yaml);
        assertTrue(yaml.contains("principals: [cluster.local/ns/ambient-waypoint/sa/client]"), yaml);
        ClusterSpec spec = spec(yaml);
        assertTrue(spec.pod("ambient-waypoint", "waypoint-0").waypoint(), "the local cluster runs its proxy");
        assertFalse(spec.pod("ambient-waypoint", "server-0").waypoint());
    }

    @Test
    void onlyTheAmbientGroupsHoldBackPodsAndOnlyTheirOwnCount() {
        assertFalse(layout.group(Scenario.NGINX_L7_SIDECAR).ambient());
        assertTrue(layout.group(Scenario.NGINX_L7_SIDECAR).waypoint().isEmpty());
        ClusterSpec spec = spec(layout.yaml(g -> g.mode() == Scenario.AMBIENT ? 1 : 0));
        List<String> pods = spec.pods().stream().map(ClusterSpec.PodSpec::key).toList();
        assertTrue(pods.contains("ambient/client-0") && !pods.contains("ambient/client-1"), pods.toString());
        assertTrue(pods.contains("ambient-waypoint/waypoint-0"), "the waypoint is there before its pods: " + pods);
        assertFalse(pods.contains("ambient-waypoint/client-0"), pods.toString());
        assertTrue(pods.contains("nginx-l7-sidecar/server-1"), pods.toString());
    }
}

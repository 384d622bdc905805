package dev.ambient.daemonset.incluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's settings in its DaemonSet, from the environment. */
class KubernetesSettingsTest {

    @Test
    void defaultsFitTheManifestsAndValuesOverrideThem() {
        KubernetesSettings d = KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "node-7"));
        assertEquals("node-7", d.node());
        assertEquals("ambient-ca.ambient-system.svc:15012", d.caAddress());
        assertEquals(Path.of("/var/run/secrets/tokens/ambient-ca"), d.tokenFile());
        assertEquals(Duration.ofSeconds(30), d.drain());
        KubernetesSettings s = KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "n", "TRUST_DOMAIN", "corp.example",
                "DRAIN_TIMEOUT", "45s", "POD_DRAIN", "2m"));
        assertEquals("corp.example", s.trustDomain());
        assertEquals(Duration.ofSeconds(45), s.drain());
        assertEquals(Duration.ofMinutes(2), s.podDrain());
    }

    @Test
    void aWaypointKnowsItsPodFromTheDownwardApi() {
        KubernetesSettings s = KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "n", "POD_NAME", "shop-waypoint-7c9",
                "POD_NAMESPACE", "shop"));
        assertEquals("shop/shop-waypoint-7c9", s.requirePod());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "n", "POD_NAME", "w")).requirePod());
        assertTrue(none.getMessage().contains("POD_NAMESPACE") && none.getMessage().contains("metadata.namespace"));
    }

    @Test
    void aMissingNodeOrABadDurationIsNamed() {
        IllegalArgumentException noNode = assertThrows(IllegalArgumentException.class,
                () -> KubernetesSettings.fromEnvironment(Map.of()));
        assertTrue(noNode.getMessage().contains("NODE_NAME") && noNode.getMessage().contains("downward API"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "n", "DRAIN_TIMEOUT", "soon")));
        assertTrue(bad.getMessage().contains("DRAIN_TIMEOUT=soon"), bad.getMessage());
        IllegalArgumentException ca = assertThrows(IllegalArgumentException.class,
                () -> KubernetesSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CA_IDENTITY", "ambient-ca")));
        assertTrue(ca.getMessage().contains("CA_IDENTITY=ambient-ca"), ca.getMessage());
    }
}

package dev.ambient.bench.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathCheckTest {

    private static CaptureCounters counters(Object... keysAndValues) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).longValue());
        }
        return new CaptureCounters(m);
    }

    private static final CaptureCounters NOTHING = counters();

    @Test
    void attachedTrafficMustBeSeenOnBothNodesAndNeverCaptured() {
        CaptureCounters seen = counters("bypass", 14_000);
        assertEquals(Optional.empty(), PathCheck.problem(Scenario.NETNS_DIRECT_ATTACHED, 16, seen, seen));
        assertTrue(PathCheck.problem(Scenario.NETNS_DIRECT_ATTACHED, 16, seen, NOTHING).orElseThrow()
                .contains("node-b"));
        assertTrue(PathCheck.problem(Scenario.NETNS_DIRECT_ATTACHED, 16, counters("bypass", 9, "outbound_new", 1), seen)
                .orElseThrow().contains("captured"));
    }

    @Test
    void passthroughIsCapturedOnNodeAOnlyAndNeverTunnelled() {
        CaptureCounters a = counters("outbound_new", 16, "established", 30_000);
        CaptureCounters b = counters("bypass", 30_000);
        assertEquals(Optional.empty(), PathCheck.problem(Scenario.CAPTURE_PASSTHROUGH, 16, a, b));
        assertTrue(PathCheck.problem(Scenario.CAPTURE_PASSTHROUGH, 16, counters("outbound_new", 3), b).orElseThrow()
                .contains("3 of the 16"));
        assertTrue(PathCheck.problem(Scenario.CAPTURE_PASSTHROUGH, 16, a, counters("mutual_tls_accepted", 16))
                .isPresent());
    }

    @Test
    void hboneNeedsEveryConnectionAcceptedOverMutualTlsButNoNewTunnel() {
        CaptureCounters a = counters("outbound_new", 16);
        assertEquals(Optional.empty(), PathCheck.problem(Scenario.CAPTURE_HBONE, 16, a,
                counters("mutual_tls_accepted", 16, "hbone_new", 0, "established", 40_000)));
        assertTrue(PathCheck.problem(Scenario.CAPTURE_HBONE, 16, a, counters("inbound_new", 16)).orElseThrow()
                .contains("plaintext"));
    }

    @Test
    void dropsAreAlwaysAProblemAndTheBaselineIsNotChecked() {
        CaptureCounters dropped = counters("outbound_new", 16, "mutual_tls_accepted", 16, "no_listener", 2);
        assertTrue(PathCheck.problem(Scenario.CAPTURE_HBONE, 16, dropped, dropped).orElseThrow().contains("dropped"));
        assertEquals(Optional.empty(), PathCheck.problem(Scenario.NETNS_DIRECT, 16, NOTHING, NOTHING));
    }
}

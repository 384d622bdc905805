package dev.ambient.daemonset.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The sidecar's rules: its own traffic and the probes pass before anything is redirected. */
class CaptureRulesTest {

    @Test
    void exemptionsComeBeforeTheRedirects() {
        List<String> rules = new CaptureRules(0x20000, List.of("10.0.0.1/32"), List.of(5432), List.of(9090)).commands()
                .stream().map(c -> String.join(" ", c)).toList();
        int mark = indexOf(rules, "--mark 0x20000/0x20000 -j RETURN");
        int outbound = indexOf(rules, "REDIRECT --to-ports 15001");
        int excluded = indexOf(rules, "--dport 5432 -j RETURN");
        assertTrue(mark < outbound && excluded < outbound, "the proxy's own connections pass first: " + rules);
        int probe = indexOf(rules, "-s 10.0.0.1/32 -j RETURN");
        int hbone = indexOf(rules, "--dport 15008 -j RETURN");
        int inbound = indexOf(rules, "REDIRECT --to-ports 15006");
        assertTrue(probe < inbound && hbone < inbound && indexOf(rules, "--dport 9090 -j RETURN") < inbound, rules.toString());
        assertEquals(1, rules.stream().filter(r -> r.contains("--to-ports 15001")).count());
    }

    @Test
    void aProxyThatCannotMarkIsExemptByItsUser() {
        List<String> rules = CaptureRules.local(OptionalInt.of(65534)).commands().stream()
                .map(c -> String.join(" ", c)).toList();
        assertTrue(indexOf(rules, "-m owner --uid-owner 65534 -j RETURN") < indexOf(rules, "REDIRECT --to-ports 15001"),
                rules.toString());
        assertTrue(CaptureRules.local(OptionalInt.empty()).commands().stream().noneMatch(c -> c.contains("owner")));
    }

    @Test
    void aZeroMarkWouldLoopAndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CaptureRules(0, List.of(), List.of(), List.of()));
    }

    private static int indexOf(List<String> rules, String fragment) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no rule with '" + fragment + "' in " + rules);
    }
}

package dev.ambient.daemonset.incluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.process.JavaCommand;
import dev.ambient.daemonset.process.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl logs} shows when a cluster process cannot start: one line naming the setting
 * or file, exit status 1, no stack trace. Run as real processes with the environment a broken
 * manifest would give them.
 */
class StartupTest {

    private static String refusal(String main, String command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JavaCommand.of(List.of(), main, List.of("--kubernetes")))
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("NODE_") || k.startsWith("POD_") || k.startsWith("CA_")
                || k.equals("TOKEN_FILE"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), main + " did not stop");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out);
        assertFalse(out.contains("Exception in thread") || out.contains("\tat "), "no stack trace:\n" + out);
        assertTrue(out.contains("mesh " + command + ": cannot start: "), out);
        return out;
    }

    @Test
    void anAgentWithoutItsNodeSaysWhereTheNodeComesFrom() throws Exception {
        String out = refusal(NodeProcess.AGENT, "agent", Map.of());
        assertTrue(out.contains("NODE_NAME is not set") && out.contains("downward API"), out);
    }

    @Test
    void aWaypointWithoutItsPodOrTokenNamesThem() throws Exception {
        String noPod = refusal(NodeProcess.WAYPOINT, "waypoint", Map.of("NODE_NAME", "node-a"));
        assertTrue(noPod.contains("POD_NAME and POD_NAMESPACE"), noPod);
        String noRoot = refusal(NodeProcess.WAYPOINT, "waypoint", Map.of("NODE_NAME", "node-a", "POD_NAME", "w-1",
                "POD_NAMESPACE", "shop", "CA_ROOT", "/nonexistent/root-cert.pem"));
        assertTrue(noRoot.contains("cannot read the CA root /nonexistent/root-cert.pem"), noRoot);
    }
}

package dev.ambient.daemonset.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.JvmOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint starts the JVM with the same options and environment as the launcher and
 * the bench (read from the one {@code ztunnel-jvm.options}), then the main class and its arguments.
 * Run here with a stand-in {@code java} that prints what it was given.
 */
class EntrypointTest {

    @TempDir
    Path home;

    @Test
    void theImageRunsEveryProcessWithTheOptionsTheBenchMeasured() throws Exception {
        try (InputStream in = JvmOptions.class.getResourceAsStream(JvmOptions.RESOURCE)) {
            Files.write(home.resolve("ztunnel-jvm.options"), in.readAllBytes());
        }
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}\"\n"
                + "for a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("manifests/entrypoint.sh").toAbsolutePath().toString(),
                "dev.ambient.daemonset.agent.AgentMain", "--kubernetes").redirectErrorStream(true);
        pb.environment().put("AMBIENT_HOME", home.toString());
        pb.environment().put("JAVA", java.toString());
        pb.environment().remove("ZTUNNEL_JAVA_OPTS");
        pb.environment().remove("MALLOC_ARENA_MAX");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.exitValue(), String.join("\n", lines));

        List<String> expected = new ArrayList<>(List.of("MALLOC_ARENA_MAX=2", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        expected.addAll(JvmOptions.ztunnel());
        expected.addAll(List.of("-cp", home + "/lib/*", "dev.ambient.daemonset.agent.AgentMain", "--kubernetes"));
        assertEquals(expected, lines);
        assertTrue(JvmOptions.environmentPrefix().contains("MALLOC_ARENA_MAX=2"), "the environment is the file's");
    }
}

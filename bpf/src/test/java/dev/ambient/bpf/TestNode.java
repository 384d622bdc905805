package dev.ambient.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scratch network namespace with a private bpffs, for tests of the capture programs. Both are
 * removed on close; they never touch the machine's own namespace.
 */
final class TestNode implements AutoCloseable {

    final String name;
    final NetNamespace netns;
    final Path bpffs;

    private TestNode(String name, NetNamespace netns, Path bpffs) {
        this.name = name;
        this.netns = netns;
        this.bpffs = bpffs;
    }

    static TestNode create(String tag) throws IOException {
        assertEquals("0", run("id", "-u").strip(), "BPF tests load programs and build namespaces: run them as root "
                + "(./mesh test does in CI)");
        String name = "am-" + tag + ProcessHandle.current().pid();
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        Path bpffs = Files.createDirectories(Path.of("target", "bpffs-" + name).toAbsolutePath());
        run("mount", "-t", "bpf", "bpf", bpffs.toString());
        return new TestNode(name, NetNamespace.named(name), bpffs);
    }

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        netns.close();
        for (List<String> command : List.of(List.of("umount", bpffs.toString()), List.of("ip", "netns", "delete", name))) {
            try {
                run(command.toArray(String[]::new));
            } catch (IOException ignored) {
                // best effort; the next step may still succeed
            }
        }
        Files.deleteIfExists(bpffs);
    }
}

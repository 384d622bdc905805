package dev.ambient.daemonset.process;

import dev.ambient.sys.Commands;

import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.config.JvmOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A ztunnel running as its own process inside a node's network namespace, as the node agent runs on
 * a real node. Its output goes to a log file; {@link #close()} sends SIGTERM (the ztunnel drains)
 * and kills it if it does not exit in time.
 */
public final class ZtunnelProcess implements AutoCloseable {

    public static final String MAIN = "dev.ambient.ztunnel.ZtunnelMain";

    private final String node;
    private final String namespace;
    private final Process process;
    private final Path log;

    private ZtunnelProcess(String node, String namespace, Process process, Path log) {
        this.node = node;
        this.namespace = namespace;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mesh ztunnel} for {@code node} in network namespace {@code namespace}.
     *
     * @param extraArgs more ztunnel flags (for example {@code --transparent})
     */
    public static ZtunnelProcess start(String node, String namespace, Path meshFile, Path caDir, Path logDir,
            List<String> extraArgs) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve("ztunnel-" + node + ".log");
        List<String> args = new ArrayList<>(List.of("--mesh", meshFile.toString(), "--node", node,
                "--ca-dir", caDir.toString(), "--drain-timeout", "5s"));
        args.addAll(extraArgs);
        List<String> java = new ArrayList<>(JvmOptions.environmentPrefix());
        java.addAll(JavaCommand.of(JvmOptions.ztunnel(), MAIN, args));
        List<String> command = Commands.inNetns(namespace, java);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ZtunnelProcess(node, namespace, process, log);
    }

    /** Waits until readiness (15021 inside the node namespace) answers 200; fails with the log tail if not. */
    public void awaitReady(int readinessPort, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ztunnel for " + node + " exited with " + process.exitValue()
                            + ":\n" + logTail());
                }
                if (ns.call(() -> httpStatus(new InetSocketAddress("127.0.0.1", readinessPort), "/healthz/ready")) == 200) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("ztunnel for " + node + " not ready within " + timeout.toSeconds() + "s:\n"
                + logTail());
    }

    /** The body of an HTTP GET to {@code port} on loopback inside the node namespace. */
    public String get(int port, String path) throws Exception {
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            return ns.call(() -> httpGet(new InetSocketAddress("127.0.0.1", port), path));
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private static int httpStatus(InetSocketAddress address, String path) {
        try {
            String response = httpGet(address, path);
            return Integer.parseInt(response.substring(9, 12));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String httpGet(InetSocketAddress address, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

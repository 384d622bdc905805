package dev.ambient.daemonset.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tcpdump on one interface of a namespace, for tests that must prove what crossed a link. */
public final class PacketCapture implements AutoCloseable {

    private final Process process;
    private final Path file;

    private PacketCapture(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Starts capturing TCP on {@code device} in {@code namespace}; returns once tcpdump listens. */
    public static PacketCapture start(String namespace, String device, Path file) throws IOException {
        Process process = new ProcessBuilder(Commands.inNetns(namespace,
                List.of("tcpdump", "-i", device, "-U", "-s", "0", "-w", file.toString(), "tcp")))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("listening on")) {
                Thread.ofVirtual().start(() -> drain(out));
                return new PacketCapture(process, file);
            }
        }
        throw new IOException("tcpdump exited before it started capturing on " + device + " in " + namespace);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep tcpdump's pipe from filling
            }
        } catch (IOException ignored) {
            // tcpdump ended
        }
    }

    /** Stops tcpdump and returns the raw capture file's bytes. */
    public byte[] stop() throws IOException, InterruptedException {
        close();
        return Files.readAllBytes(file);
    }

    /** The capture as text, one packet a line, for asserting on ports. */
    public String summary() {
        return Commands.run("tcpdump", "-nn", "-r", file.toString());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

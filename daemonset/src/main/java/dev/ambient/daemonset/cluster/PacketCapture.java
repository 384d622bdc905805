package dev.ambient.daemonset.cluster;

import dev.ambient.sys.Commands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tcpdump on one interface of a namespace: proves what crossed a link (tests, demo). */
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
                List.of("tcpdump", "-i", device, "--immediate-mode", "-U", "-s", "0", "-w", file.toString(), "tcp")))
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

    /** What crossed the link: packets by port, and whether a marker appeared anywhere in clear. */
    public record Summary(int packets, int hbonePackets, int appPortPackets, boolean markerInClear, String text) {
        @Override
        public String toString() {
            return packets + " TCP packets on the node link, " + hbonePackets + " of them on the HBONE port 15008, "
                    + appPortPackets + " on the application port; application bytes in clear: "
                    + (markerInClear ? "FOUND" : "none");
        }
    }

    /** Stops tcpdump and summarizes the capture against the application port and a payload marker. */
    public Summary stop(int appPort, byte[] marker) throws IOException {
        try {
            Thread.sleep(200); // the last packets reach tcpdump's file before it is told to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        byte[] raw = Files.readAllBytes(file);
        String text = Commands.run("tcpdump", "-nn", "-r", file.toString());
        List<String> lines = text.lines().toList();
        int hbone = (int) lines.stream().filter(l -> mentionsPort(l, 15008)).count();
        int app = (int) lines.stream().filter(l -> mentionsPort(l, appPort)).count();
        return new Summary(lines.size(), hbone, app, indexOf(raw, marker) >= 0, text);
    }

    private static boolean mentionsPort(String line, int port) {
        return line.contains("." + port + " >") || line.contains("." + port + ":");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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

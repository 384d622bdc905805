package dev.ambient.daemonset.demo;

import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A client application in a pod: it simply connects to a pod IP, knowing nothing of the mesh. */
final class PodClient {

    static final byte[] MARKER = "AMBIENT-DEMO-PAYLOAD-".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final NetNamespace pod;

    PodClient(String name, NetNamespace pod) {
        this.name = name;
        this.pod = pod;
    }

    Socket open(InetSocketAddress server) throws Exception {
        return pod.call(() -> {
            Socket s = new Socket();
            s.connect(server, 3_000);
            s.setSoTimeout(5_000);
            return s;
        });
    }

    /** Sends {@code size} bytes and reads the echo; says how it went, in words. */
    String echo(InetSocketAddress server, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = MARKER[i % MARKER.length];
        }
        long start = System.nanoTime();
        try (Socket socket = open(server)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException ignored) {
                    // the read reports the failure
                }
            });
            byte[] echoed = socket.getInputStream().readAllBytes();
            writer.join();
            if (echoed.length == 0) {
                return name + " → " + address(server) + ": refused (nothing came back)";
            }
            return name + " → " + address(server) + ": " + size / 1024 + " KiB echoed "
                    + (Arrays.equals(payload, echoed) ? "intact" : "CORRUPTED") + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (Exception e) {
            return name + " → " + address(server) + ": refused (" + e.getClass().getSimpleName() + ")";
        }
    }

    static String address(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}

package dev.ambient.daemonset.demo;

import dev.ambient.sys.NetNamespace;
import dev.ambient.daemonset.cluster.PodConnections;
import java.net.InetSocketAddress;
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


    /** Sends {@code size} bytes and reads the echo; says how it went, in words. */
    String echo(InetSocketAddress server, int size) {
        byte[] payload = PodConnections.payload(MARKER, size);
        long start = System.nanoTime();
        try {
            byte[] echoed = PodConnections.roundTrip(pod, server, payload);
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

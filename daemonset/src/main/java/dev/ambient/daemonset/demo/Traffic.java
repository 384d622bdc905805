package dev.ambient.daemonset.demo;

import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.socks.Socks5Client;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The demo's client pod: connections from its namespace through its node's SOCKS5 to the server pod. */
final class Traffic {

    static final byte[] MARKER = "AMBIENT-DEMO-PAYLOAD-".getBytes(StandardCharsets.US_ASCII);

    private final NetNamespace pod;
    private final InetAddress source;
    private final InetSocketAddress destination;

    Traffic(NetNamespace pod, InetAddress source, InetSocketAddress destination) {
        this.pod = pod;
        this.source = source;
        this.destination = destination;
    }

    InetSocketAddress destination() {
        return destination;
    }

    Socket open() throws Exception {
        return pod.call(() -> Socks5Client.connect(source, new InetSocketAddress(LocalCluster.GATEWAY, 15080),
                destination));
    }

    /** Sends {@code size} bytes, reads the echo, and says how it went. */
    String echo(int size) throws Exception {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = MARKER[i % MARKER.length];
        }
        long start = System.nanoTime();
        try (Socket socket = open()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException ignored) {
                    // the read below reports the failure
                }
            });
            byte[] echoed = socket.getInputStream().readAllBytes();
            writer.join();
            boolean intact = Arrays.equals(payload, echoed);
            return (size / 1024) + " KiB sent and " + echoed.length / 1024 + " KiB echoed back "
                    + (intact ? "intact" : "CORRUPTED") + " in " + DemoMain.millis(start) + " ms";
        }
    }

    /** Tries a new connection and says how it was answered. */
    String tryConnect() {
        try (Socket socket = open()) {
            return "was ALLOWED (unexpected)";
        } catch (Socks5Client.Refused refused) {
            return refused.code == 2 ? "was refused by node-b (HBONE 401, SOCKS5 'not allowed by ruleset')"
                    : "was refused (SOCKS5 reply " + refused.code + ")";
        } catch (Exception e) {
            return "failed: " + e.getMessage();
        }
    }

    /** Whether the peer closed {@code socket} (a read sees end of stream or a reset within 5 s). */
    static boolean isClosed(Socket socket) {
        try {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }
}

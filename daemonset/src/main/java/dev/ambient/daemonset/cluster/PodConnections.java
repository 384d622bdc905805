package dev.ambient.daemonset.cluster;

import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Client connections made from inside a pod's namespace, as the pod's application would make them. */
public final class PodConnections {

    private PodConnections() {}

    /** A plain connect from the pod (3 s to connect, 10 s per read): no proxy configured. */
    public static Socket connect(NetNamespace pod, InetSocketAddress server) throws Exception {
        return pod.call(() -> {
            Socket s = new Socket();
            s.connect(server, 3_000);
            s.setSoTimeout(10_000);
            return s;
        });
    }

    /** Writes {@code payload}, half-closes, and returns everything the server sent back until it closed. */
    public static byte[] roundTrip(NetNamespace pod, InetSocketAddress server, byte[] payload) throws Exception {
        try (Socket socket = connect(pod, server)) {
            return roundTrip(socket, payload);
        }
    }

    /** The same on an open socket (a SOCKS5 connection, say). */
    public static byte[] roundTrip(Socket socket, byte[] payload) throws Exception {
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
        return echoed;
    }

    /** {@code size} bytes repeating {@code marker}, so a packet capture can look for it. */
    public static byte[] payload(byte[] marker, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = marker[i % marker.length];
        }
        return data;
    }
}

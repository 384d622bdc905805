package dev.ambient.daemonset.cluster;

import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Small applications that stand in for a pod's workload in the local cluster. */
public final class PodApps {

    private PodApps() {}

    /**
     * An echo server on {@code port} inside the pod's namespace: it returns every byte and
     * half-closes when the client does. Closing the returned socket stops it.
     */
    public static ServerSocket echo(NetNamespace pod, int port) throws Exception {
        ServerSocket server = pod.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(port), 128);
            return s;
        });
        Thread.ofVirtual().name("echo-" + port).start(() -> acceptLoop(server));
        return server;
    }

    private static void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        socket.getInputStream().transferTo(socket.getOutputStream());
                        socket.shutdownOutput();
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }
}

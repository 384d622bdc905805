package dev.ambient.daemonset.cluster;

import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pod's stand-in workload: an echo server in the pod's namespace that returns every byte,
 * half-closes when the client does, and remembers who called (what a workload behind the mesh sees).
 */
public final class EchoApp implements AutoCloseable {

    private final ServerSocket server;
    private final List<InetAddress> clients = new CopyOnWriteArrayList<>();

    private EchoApp(ServerSocket server) {
        this.server = server;
    }

    /** Listens on {@code port} on all of the pod's addresses. */
    public static EchoApp start(NetNamespace pod, int port) throws Exception {
        EchoApp app = new EchoApp(pod.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(port), 128);
            return s;
        }));
        Thread.ofVirtual().name("echo-" + port).start(app::serve);
        return app;
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                clients.add(s.getInetAddress());
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                        s.shutdownOutput();
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Connections accepted so far. */
    public int calls() {
        return clients.size();
    }

    /** The address the latest caller came from, or null before any call. */
    public InetAddress lastClient() {
        return clients.isEmpty() ? null : clients.get(clients.size() - 1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

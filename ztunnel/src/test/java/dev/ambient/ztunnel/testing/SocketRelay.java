package dev.ambient.ztunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Accepts connections on a listener and relays each, byte for byte, to a socket from {@code dial}:
 * for clients that open their own sockets (gRPC) where a test must decide how the connection is made
 * (through a node's SOCKS5, or from inside a pod's network namespace). Threads per connection;
 * closing the relay closes every socket.
 */
public final class SocketRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final Callable<Socket> dial;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private SocketRelay(ServerSocket listener, Callable<Socket> dial) {
        this.listener = listener;
        this.dial = dial;
    }

    /** Starts relaying; the relay owns {@code listener}. */
    public static SocketRelay start(ServerSocket listener, Callable<Socket> dial) {
        SocketRelay relay = new SocketRelay(listener, dial);
        Thread.ofPlatform().daemon().name("relay-accept").start(relay::acceptLoop);
        return relay;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                open.add(in);
                Socket out = dial.call();
                open.add(out);
                pump(in, out);
                pump(out, in);
            } catch (Exception e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("relay-pump").start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(SocketRelay::closeQuietly);
    }
}

package dev.ambient.bench.proxies;

import dev.ambient.bench.BenchException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ports for processes we start and that must be told their ports in advance. A port is free when
 * probed; it is never handed out twice by one instance, so two proxies cannot be given the same one.
 */
public final class FreePorts {

    private static final int ATTEMPTS = 100;

    private final Set<Integer> given = new HashSet<>();

    /** A port free right now on every one of {@code addresses}. */
    public synchronized int on(List<InetAddress> addresses) throws BenchException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(addresses.get(0), 0));
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new BenchException("cannot bind " + addresses.get(0).getHostAddress() + ": " + e.getMessage()
                        + " (the bench needs 127.0.0.2 and 127.0.0.3 on the loopback interface)", e);
            }
            if (!given.contains(port) && freeOnAll(addresses, port)) {
                given.add(port);
                return port;
            }
        }
        throw new BenchException("no port is free on all of " + addresses + " after " + ATTEMPTS + " attempts");
    }

    /** A port free right now on {@code address}. */
    public int on(InetAddress address) throws BenchException {
        return on(List.of(address));
    }

    private static boolean freeOnAll(List<InetAddress> addresses, int port) {
        for (InetAddress address : addresses) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(address, port));
            } catch (IOException busy) {
                return false;
            }
        }
        return true;
    }
}

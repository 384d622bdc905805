package dev.ambient.bench;

import dev.ambient.ztunnel.meshfile.LoopbackPods;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The loopback addresses that stand in for two pods on two nodes, as in the ztunnel test fixtures:
 * the client pod is 127.0.0.2 (node-a), the server pod 127.0.0.3 (node-b). Nothing here binds
 * outside 127.0.0.0/8.
 */
public final class LoopbackHosts {

    /** The client pod; load and bulk connections leave from here so ztunnel knows the source workload. */
    public static final InetAddress CLIENT = LoopbackPods.CLIENT_IP;
    /** The server pod; the upstream HTTP server and the byte sink listen here. */
    public static final InetAddress SERVER = LoopbackPods.SERVER_IP;
    /** Node-local control endpoints (ztunnel admin and SOCKS5). */
    public static final InetAddress LOCAL = literal("127.0.0.1");

    private LoopbackHosts() {}

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("BUG: " + ip + " is not an IP literal", e);
        }
    }
}

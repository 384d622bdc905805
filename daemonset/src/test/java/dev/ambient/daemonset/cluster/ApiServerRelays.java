package dev.ambient.daemonset.cluster;

import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.testing.SocketRelay;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mock API server (on the machine's loopback) made reachable from inside a node's or pod's
 * network namespace, at {@code 127.0.0.1:}{@link #PORT} there, for processes that run as they would
 * in a cluster; {@link #into} also gives the environment that points their client at it.
 */
public final class ApiServerRelays implements AutoCloseable {

    public static final int PORT = 16443;

    private final int serverPort;
    private final List<SocketRelay> relays = new ArrayList<>();

    /** Relays to the mock server listening on {@code serverPort} of this machine's loopback. */
    public ApiServerRelays(int serverPort) {
        this.serverPort = serverPort;
    }

    /** Listens inside {@code ns}; returns the fabric8 settings (http, no kubeconfig, no in-cluster account). */
    public Map<String, String> into(NetNamespace ns) throws Exception {
        ServerSocket listener = ns.call(() -> new ServerSocket(PORT, 50, InetAddress.getLoopbackAddress()));
        relays.add(SocketRelay.start(listener, () -> new Socket(InetAddress.getLoopbackAddress(), serverPort)));
        return Map.of("KUBERNETES_MASTER", "http://127.0.0.1:" + PORT, "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    }

    @Override
    public void close() throws Exception {
        for (SocketRelay relay : relays) {
            relay.close();
        }
    }
}

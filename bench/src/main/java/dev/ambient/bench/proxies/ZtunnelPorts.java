package dev.ambient.bench.proxies;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.LoopbackHosts;
import java.net.InetAddress;

/**
 * Every listener port of one ztunnel process. HBONE must be the same on both nodes (peers dial the
 * pod address on it); SOCKS5 and admin bind 127.0.0.1, the others the node's own address.
 */
public record ZtunnelPorts(int hbone, int socks5, int admin, int metrics, int readiness, int outbound, int inbound) {

    /** Fresh ports for a node listening on {@code address}, with the shared {@code hbone} port. */
    public static ZtunnelPorts allocate(FreePorts ports, InetAddress address, int hbone) throws BenchException {
        return new ZtunnelPorts(hbone, ports.on(LoopbackHosts.LOCAL), ports.on(LoopbackHosts.LOCAL), ports.on(address),
                ports.on(address), ports.on(address), ports.on(address));
    }
}

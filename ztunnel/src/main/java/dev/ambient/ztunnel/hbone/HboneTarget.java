package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where one tunnelled connection goes and who may answer.
 *
 * @param source the identity this node proves for the calling workload
 * @param expectedPeer the identity the server must present (the destination's, or its waypoint's)
 * @param hboneAddress the address whose port 15008 is dialled
 * @param authority the CONNECT {@code :authority}: the original destination ip:port
 * @param clientAddress the calling workload's address, sent in {@code Forwarded}
 * @param baggage the W3C baggage describing the caller, or empty
 */
public record HboneTarget(
        SpiffeId source,
        SpiffeId expectedPeer,
        InetSocketAddress hboneAddress,
        InetSocketAddress authority,
        InetSocketAddress clientAddress,
        String baggage) {

    public HboneTarget {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(expectedPeer, "expectedPeer");
        Objects.requireNonNull(hboneAddress, "hboneAddress");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(clientAddress, "clientAddress");
        baggage = baggage == null ? "" : baggage;
    }

    /** Connections are shared only between calls that prove and expect the same identities at the same peer. */
    PoolKey poolKey() {
        return new PoolKey(source, expectedPeer, null, hboneAddress);
    }

    /** The key when tunnels are dialled from the client's own address: one pool per source IP too. */
    PoolKey poolKeyFrom(java.net.InetAddress sourceIp) {
        return new PoolKey(source, expectedPeer, sourceIp, hboneAddress);
    }

    /** @param sourceIp the address tunnels are dialled from, or null for the node's own */
    record PoolKey(SpiffeId source, SpiffeId expectedPeer, java.net.InetAddress sourceIp, InetSocketAddress address) {
        @Override
        public String toString() {
            return source + " -> " + expectedPeer + " @ " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + (sourceIp == null ? "" : " from " + sourceIp.getHostAddress());
        }
    }

    /** Identities that satisfy the check on the server's certificate. */
    List<SpiffeId> acceptedPeers() {
        return List.of(expectedPeer);
    }
}

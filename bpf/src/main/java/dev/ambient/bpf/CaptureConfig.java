package dev.ambient.bpf;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * What the capture programs need to know about the node's proxy.
 *
 * @param listenAddress the address the proxy's listeners are bound to (0.0.0.0 for all)
 * @param outboundPort 15001
 * @param inboundPort 15006
 * @param hbonePort 15008
 * @param captureMark set on captured packets; the node's policy rule routes them to local delivery
 * @param proxyMark set by the proxy on its own sockets; packets carrying it are never captured. Must
 *     not overlap {@code captureMark} (an overlap made upstream connects fail with ENETUNREACH)
 * @param failOpen with no listener, let packets pass instead of dropping them (off: fail closed)
 */
public record CaptureConfig(Inet4Address listenAddress, int outboundPort, int inboundPort, int hbonePort,
        int captureMark, int proxyMark, boolean failOpen) {

    public CaptureConfig {
        Objects.requireNonNull(listenAddress, "listenAddress");
        if ((captureMark & proxyMark) != 0) {
            throw new IllegalArgumentException(String.format("capture mark 0x%x and proxy mark 0x%x overlap; "
                    + "choose marks with no bit in common", captureMark, proxyMark));
        }
        if (captureMark == 0) {
            throw new IllegalArgumentException("capture mark must not be 0");
        }
    }

    /** Istio's ports, capture mark 0x10000 (the bit the node's rule selects), proxy mark 0x20000. */
    public static CaptureConfig defaults() {
        try {
            return new CaptureConfig((Inet4Address) Inet4Address.getByAddress(new byte[4]), 15001, 15006, 15008,
                    0x10000, 0x20000, false);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

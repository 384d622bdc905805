package dev.ambient.ztunnel.proxy;

/**
 * A connection the proxy could not carry, with the reason as a value so each listener can answer in
 * its own protocol (a SOCKS reply code, an HBONE status, a reset).
 */
public final class ProxyException extends Exception {

    /** Why; each maps to Istio's response flags for metrics. */
    public enum Reason {
        /** The client is not a workload this node proxies for. */
        UNKNOWN_SOURCE("NR"),
        /** The destination resolves to nothing usable (no endpoints, no such port). */
        NO_ROUTE("NR"),
        /** Authorization policy denied it. */
        DENIED("DENY"),
        /** The destination (or its node's HBONE port) could not be reached. */
        UNREACHABLE("CONNECT"),
        /** The HBONE peer was reached but refused or failed the tunnel. */
        TUNNEL_FAILED("CONNECT");

        private final String responseFlags;

        Reason(String responseFlags) {
            this.responseFlags = responseFlags;
        }

        public String responseFlags() {
            return responseFlags;
        }
    }

    private final Reason reason;

    public ProxyException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ProxyException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

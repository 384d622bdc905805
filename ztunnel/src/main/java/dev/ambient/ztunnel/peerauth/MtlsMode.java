package dev.ambient.ztunnel.peerauth;

/** Istio's {@code PeerAuthentication} mTLS modes. */
public enum MtlsMode {
    /** Inherit from the enclosing scope (namespace, then mesh). */
    UNSET,
    /** Plaintext is accepted. */
    DISABLE,
    /** Both mutual TLS and plaintext are accepted; the default. */
    PERMISSIVE,
    /** Only mutual TLS is accepted: plaintext is refused. */
    STRICT;

    public boolean acceptsPlaintext() {
        return this != STRICT;
    }
}

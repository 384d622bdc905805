package dev.ambient.ztunnel.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The credentials one workload identity presents in mTLS: its key, its certificate chain and the
 * roots its CA chains to. Immutable; a renewal produces a new instance, which is how TLS
 * contexts notice they must be rebuilt.
 *
 * @param identity the SPIFFE ID the leaf certifies
 * @param key      private key of the leaf
 * @param chain    leaf first, then intermediates; never the root
 * @param roots    root certificates of the issuing CA
 */
public record WorkloadCertificate(SpiffeId identity, PrivateKey key, List<X509Certificate> chain,
                                  List<X509Certificate> roots) {

    public WorkloadCertificate {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain for " + identity + " is empty");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Half-way through the lifetime: late enough to keep CA load low, early enough to survive a CA outage. */
    public Instant refreshAt() {
        Duration lifetime = Duration.between(notBefore(), notAfter());
        return notBefore().plus(lifetime.dividedBy(2));
    }

    /** Whether the leaf is past its notAfter at {@code now} (notAfter itself is still valid). */
    public boolean isExpired(Instant now) {
        return now.isAfter(notAfter());
    }

    /** Never prints the key or the encoded certificates, which would end up in logs. */
    @Override
    public String toString() {
        return "WorkloadCertificate{" + identity + ", serial " + leaf().getSerialNumber().toString(16)
                + ", notBefore " + notBefore() + ", notAfter " + notAfter() + ", chain " + chain.size() + "}";
    }
}

package dev.ambient.ztunnel.identity;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The root certificates trusted for each trust domain. Kept per domain, never pooled, because an
 * SVID is only valid when it chains to a root of its own trust domain: pooling would let one
 * domain's CA mint identities of another. Immutable; a changed bundle is a new instance swapped
 * in whole.
 */
public final class TrustBundle {

    private static final TrustBundle EMPTY = new TrustBundle(Map.of());

    private final Map<String, List<X509Certificate>> roots;

    private TrustBundle(Map<String, List<X509Certificate>> roots) {
        this.roots = roots;
    }

    /** A bundle that trusts nothing. */
    public static TrustBundle empty() {
        return EMPTY;
    }

    /** A bundle with the given roots for one trust domain. */
    public static TrustBundle of(String trustDomain, Collection<X509Certificate> roots) {
        return EMPTY.with(trustDomain, roots);
    }

    /**
     * A copy in which {@code trustDomain} trusts exactly {@code roots}, replacing any roots it had.
     * An empty collection keeps the domain listed but trusts no certificate of it.
     */
    public TrustBundle with(String trustDomain, Collection<X509Certificate> newRoots) {
        SpiffeId.requireTrustDomain(trustDomain);
        Objects.requireNonNull(newRoots, "roots");
        Map<String, List<X509Certificate>> copy = new LinkedHashMap<>(roots);
        copy.put(trustDomain, List.copyOf(newRoots));
        return new TrustBundle(Collections.unmodifiableMap(copy));
    }

    /** A copy that no longer knows {@code trustDomain}. */
    public TrustBundle without(String trustDomain) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        if (!roots.containsKey(trustDomain)) {
            return this;
        }
        Map<String, List<X509Certificate>> copy = new LinkedHashMap<>(roots);
        copy.remove(trustDomain);
        return new TrustBundle(Collections.unmodifiableMap(copy));
    }

    /** The roots of one trust domain, empty if the domain is unknown. */
    public List<X509Certificate> roots(String trustDomain) {
        return roots.getOrDefault(Objects.requireNonNull(trustDomain, "trustDomain"), List.of());
    }

    /** Every trust domain this bundle has an entry for. */
    public Set<String> trustDomains() {
        return roots.keySet();
    }

    /** Every root of every domain, without duplicates (one CA may serve several domains). */
    public List<X509Certificate> allRoots() {
        List<X509Certificate> all = new ArrayList<>();
        for (List<X509Certificate> domainRoots : roots.values()) {
            for (X509Certificate root : domainRoots) {
                if (!all.contains(root)) {
                    all.add(root);
                }
            }
        }
        return List.copyOf(all);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustBundle bundle && bundle.roots.equals(roots);
    }

    @Override
    public int hashCode() {
        return roots.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("TrustBundle{");
        roots.forEach((domain, certs) -> {
            if (out.length() > "TrustBundle{".length()) {
                out.append(", ");
            }
            out.append(domain).append('=').append(certs.size()).append(certs.size() == 1 ? " root" : " roots");
        });
        return out.append('}').toString();
    }
}

package dev.ambient.ztunnel.identity;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a peer's certificate chain as an X.509-SVID and yields its SPIFFE ID. Used on both
 * sides of every mTLS handshake, so it is deliberately stricter than the SPIFFE standard's
 * minimum (and than Istio's ztunnel, which takes the first URI SAN): any ambiguity about who the
 * peer is fails the handshake. The chain must lead, by RFC 5280 path validation, to a root of
 * the SVID's <em>own</em> trust domain, so one domain's CA cannot mint another domain's IDs.
 */
public final class SvidVerifier {

    /** Longer chains are refused before any signature work: SVID chains are short. */
    public static final int MAX_CHAIN_LENGTH = 8;

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private final TrustBundle bundle;
    private final Set<String> acceptedTrustDomains;
    private final Clock clock;
    private final Map<String, Set<TrustAnchor>> anchors;

    /**
     * @param bundle               roots per trust domain
     * @param acceptedTrustDomains trust domains whose identities may connect; compared exactly
     * @param clock                source of "now" for validity checks
     */
    public SvidVerifier(TrustBundle bundle, Set<String> acceptedTrustDomains, Clock clock) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.acceptedTrustDomains = Set.copyOf(acceptedTrustDomains);
        this.acceptedTrustDomains.forEach(SpiffeId::requireTrustDomain);
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, Set<TrustAnchor>> byDomain = new HashMap<>();
        for (String domain : bundle.trustDomains()) {
            Set<TrustAnchor> domainAnchors = new HashSet<>();
            for (X509Certificate root : bundle.roots(domain)) {
                domainAnchors.add(new TrustAnchor(root, null));
            }
            byDomain.put(domain, Set.copyOf(domainAnchors));
        }
        this.anchors = Map.copyOf(byDomain);
    }

    /** The same policy with another bundle, for when roots rotate. */
    public SvidVerifier withBundle(TrustBundle newBundle) {
        return new SvidVerifier(newBundle, acceptedTrustDomains, clock);
    }

    public TrustBundle bundle() {
        return bundle;
    }

    public Set<String> acceptedTrustDomains() {
        return acceptedTrustDomains;
    }

    /** As {@link #verify(X509Certificate[])}. */
    public SpiffeId verify(List<X509Certificate> chain) throws SvidException {
        return verify(chain == null ? null : chain.toArray(X509Certificate[]::new));
    }

    /**
     * Verifies {@code chain} (leaf first, then intermediates, optionally the root) and returns
     * the SPIFFE ID of the leaf.
     *
     * @throws SvidException naming the rule that failed and the certificate that broke it
     */
    public SpiffeId verify(X509Certificate[] chain) throws SvidException {
        if (chain == null || chain.length == 0) {
            throw new SvidException("peer presented no certificate; mesh connections need an X.509-SVID");
        }
        if (chain.length > MAX_CHAIN_LENGTH) {
            throw new SvidException("peer presented " + chain.length + " certificates; at most "
                    + MAX_CHAIN_LENGTH + " are accepted");
        }
        if (Arrays.asList(chain).contains(null)) {
            throw new SvidException("peer certificate chain has an empty entry");
        }
        X509Certificate leaf = chain[0];
        SpiffeId id = SubjectAltNames.spiffeId(leaf);
        checkLeafProfile(leaf, id);
        if (!acceptedTrustDomains.contains(id.trustDomain())) {
            throw new SvidException("trust domain '" + id.trustDomain() + "' of " + id
                    + " is not accepted here (accepted: " + acceptedTrustDomains + ")");
        }
        Instant now = clock.instant();
        checkValidity(chain, id, now);
        validatePath(chain, id, now);
        return id;
    }

    private static void checkLeafProfile(X509Certificate leaf, SpiffeId id) throws SvidException {
        if (leaf.getBasicConstraints() != -1) {
            throw new SvidException("leaf certificate of " + id + " is a CA (basicConstraints cA=true);"
                    + " an X.509-SVID leaf must have cA=false");
        }
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage == null) {
            throw new SvidException("leaf certificate of " + id + " has no KeyUsage extension;"
                    + " an X.509-SVID leaf needs digitalSignature");
        }
        if (!bit(keyUsage, DIGITAL_SIGNATURE)) {
            throw new SvidException("leaf certificate of " + id + " lacks the digitalSignature key usage");
        }
        if (bit(keyUsage, KEY_CERT_SIGN) || bit(keyUsage, CRL_SIGN)) {
            throw new SvidException("leaf certificate of " + id
                    + " has the keyCertSign or cRLSign key usage, which only CA certificates may have");
        }
        List<String> extendedKeyUsage;
        try {
            extendedKeyUsage = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new SvidException("leaf certificate of " + id + " has a malformed extendedKeyUsage", e);
        }
        if (extendedKeyUsage != null
                && !(extendedKeyUsage.contains(SERVER_AUTH) && extendedKeyUsage.contains(CLIENT_AUTH))) {
            throw new SvidException("leaf certificate of " + id + " has extendedKeyUsage " + extendedKeyUsage
                    + " without both serverAuth and clientAuth, which mesh mTLS needs");
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return index < bits.length && bits[index];
    }

    private static void checkValidity(X509Certificate[] chain, SpiffeId id, Instant now) throws SvidException {
        for (int i = 0; i < chain.length; i++) {
            X509Certificate certificate = chain[i];
            Instant notBefore = certificate.getNotBefore().toInstant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            if (now.isAfter(notAfter)) {
                throw new SvidException("certificate expired at " + notAfter + ": " + describe(certificate, i, id)
                        + " (checked at " + now + ")");
            }
            if (now.isBefore(notBefore)) {
                throw new SvidException("certificate not yet valid, notBefore " + notBefore + ": "
                        + describe(certificate, i, id) + " (checked at " + now + "; clocks out of sync?)");
            }
        }
    }

    private void validatePath(X509Certificate[] chain, SpiffeId id, Instant now) throws SvidException {
        String trustDomain = id.trustDomain();
        Set<TrustAnchor> domainAnchors = anchors.getOrDefault(trustDomain, Set.of());
        if (domainAnchors.isEmpty()) {
            throw new SvidException("no trusted roots for trust domain '" + trustDomain + "' of " + id
                    + " (trust bundle has " + bundle.trustDomains() + ")");
        }
        List<X509Certificate> roots = bundle.roots(trustDomain);
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        // A peer may append its root; a trust anchor must not also appear inside the path.
        while (path.size() > 1 && roots.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(domainAnchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            String where = e.getIndex() >= 0 && e.getIndex() < path.size()
                    ? " at " + describe(path.get(e.getIndex()), e.getIndex(), id) : "";
            throw new SvidException("certificate chain of " + id + " does not lead to a trusted root of trust domain '"
                    + trustDomain + "'" + where + ": " + e.getMessage(), e);
        } catch (InvalidAlgorithmParameterException e) {
            throw new SvidException("BUG: cannot set up path validation for trust domain '" + trustDomain + "'", e);
        } catch (GeneralSecurityException e) {
            throw new SvidException("cannot validate the certificate chain of " + id + ": " + e.getMessage(), e);
        }
    }

    private static String describe(X509Certificate certificate, int position, SpiffeId id) {
        String subject = SubjectAltNames.subjectOf(certificate);
        return position == 0 ? subject + " (leaf, " + id + ")" : subject + " (chain position " + position + ")";
    }
}

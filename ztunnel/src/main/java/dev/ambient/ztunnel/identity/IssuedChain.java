package dev.ambient.ztunnel.identity;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks what a CA answered before it is used. A node agent asks for identities on behalf of
 * pods; a CA bug or a compromised CA channel handing back another identity, another key or an
 * unverifiable chain must be caught here rather than surface as handshake failures elsewhere.
 */
final class IssuedChain {

    private IssuedChain() {
    }

    /**
     * @param chain leaf first, root last, as {@link CaClient#sign} returns it
     * @return the certificate to use, with the root split off into {@code roots}
     * @throws CaException saying what is wrong with the answer
     */
    static WorkloadCertificate accept(SpiffeId identity, Csr csr, List<X509Certificate> chain, Clock clock)
            throws CaException {
        if (chain == null || chain.size() < 2 || chain.stream().anyMatch(Objects::isNull)) {
            throw new CaException("CA answered for " + identity + " with "
                    + (chain == null ? "no chain" : chain.size() + " certificate(s)")
                    + "; expected the leaf first and the root last");
        }
        X509Certificate leaf = chain.get(0);
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), csr.keyPair().getPublic().getEncoded())) {
            throw new CaException("CA returned a certificate for another key than the one in the CSR for " + identity);
        }
        SpiffeId issued;
        try {
            issued = SubjectAltNames.spiffeId(leaf);
        } catch (SvidException e) {
            throw new CaException("CA returned an unusable certificate for " + identity + ": " + e.getMessage(), e);
        }
        if (!issued.equals(identity)) {
            throw new CaException("CA returned a certificate for " + issued + " when asked for " + identity);
        }
        X509Certificate root = chain.get(chain.size() - 1);
        List<X509Certificate> presented = chain.subList(0, chain.size() - 1);
        try {
            new SvidVerifier(TrustBundle.of(identity.trustDomain(), List.of(root)), Set.of(identity.trustDomain()),
                    clock).verify(presented);
        } catch (SvidException e) {
            throw new CaException("CA returned a certificate for " + identity + " that is not a valid SVID: "
                    + e.getMessage(), e);
        }
        return new WorkloadCertificate(identity, csr.keyPair().getPrivate(), presented, List.of(root));
    }
}

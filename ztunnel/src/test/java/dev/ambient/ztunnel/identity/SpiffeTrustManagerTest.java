package dev.ambient.ztunnel.identity;

import static dev.ambient.ztunnel.identity.TestCertificates.ALICE;
import static dev.ambient.ztunnel.identity.TestCertificates.BOB;
import static dev.ambient.ztunnel.identity.TestCertificates.CLOCK;
import static dev.ambient.ztunnel.identity.TestCertificates.TRUST_DOMAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.TestCertificates.Authority;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class SpiffeTrustManagerTest {

    private static final Authority ROOT = TestCertificates.root(TRUST_DOMAIN);
    private static final X509Certificate[] VALID = ROOT.leaf(ALICE).build().chainArray();
    private static final X509Certificate[] AMBIGUOUS = ROOT.leaf(ALICE).uris(ALICE.toString(), BOB.toString())
            .build().chainArray();

    private final SpiffeTrustManager trustManager = new SpiffeTrustManager(
            new SvidVerifier(ROOT.bundle(TRUST_DOMAIN), Set.of(TRUST_DOMAIN), CLOCK));

    @Test
    void everyOverloadOfBothDirectionsVerifiesTheSvid() {
        for (Check check : checks()) {
            assertDoesNotThrow(() -> check.run(trustManager, VALID));
            CertificateException e = assertThrows(SvidException.class, () -> check.run(trustManager, AMBIGUOUS));
            assertTrue(e.getMessage().contains("has 2 URI SANs"), e.getMessage());
        }
    }

    @Test
    void removingTheCaFromTheBundleFailsTheNextCheck() throws Exception {
        trustManager.checkClientTrusted(VALID, "EC");
        trustManager.updateBundle(TrustBundle.of(TRUST_DOMAIN, List.of()));
        SvidException e = assertThrows(SvidException.class, () -> trustManager.checkClientTrusted(VALID, "EC"));
        assertTrue(e.getMessage().contains("no trusted roots for trust domain 'cluster.local'"), e.getMessage());
        assertThrows(SvidException.class, () -> trustManager.checkServerTrusted(VALID, "EC"));

        trustManager.updateBundle(ROOT.bundle(TRUST_DOMAIN));
        trustManager.checkServerTrusted(VALID, "EC");
    }

    @Test
    void acceptedIssuersAreTheRootsOfEveryDomain() {
        Authority other = TestCertificates.root("other.domain");
        trustManager.updateBundle(ROOT.bundle(TRUST_DOMAIN).with("other.domain", List.of(other.certificate())));
        X509Certificate[] issuers = trustManager.getAcceptedIssuers();
        Arrays.sort(issuers, Comparator.comparing(X509Certificate::getSerialNumber));
        X509Certificate[] expected = {ROOT.certificate(), other.certificate()};
        Arrays.sort(expected, Comparator.comparing(X509Certificate::getSerialNumber));
        assertArrayEquals(expected, issuers);
    }

    private interface Check {
        void run(SpiffeTrustManager manager, X509Certificate[] chain) throws CertificateException;
    }

    private static List<Check> checks() {
        return List.of(
                (manager, chain) -> manager.checkClientTrusted(chain, "EC"),
                (manager, chain) -> manager.checkClientTrusted(chain, "EC", (Socket) null),
                (manager, chain) -> manager.checkClientTrusted(chain, "EC", (SSLEngine) null),
                (manager, chain) -> manager.checkServerTrusted(chain, "EC"),
                (manager, chain) -> manager.checkServerTrusted(chain, "EC", (Socket) null),
                (manager, chain) -> manager.checkServerTrusted(chain, "EC", (SSLEngine) null));
    }
}

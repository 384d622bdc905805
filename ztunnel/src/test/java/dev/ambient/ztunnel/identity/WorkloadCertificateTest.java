package dev.ambient.ztunnel.identity;

import static dev.ambient.ztunnel.identity.TestCertificates.ALICE;
import static dev.ambient.ztunnel.identity.TestCertificates.NOW;
import static dev.ambient.ztunnel.identity.TestCertificates.TRUST_DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.TestCertificates.Authority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadCertificateTest {

    private static final Authority ROOT = TestCertificates.root(TRUST_DOMAIN);

    @Test
    void refreshesHalfWayThroughTheLifetime() {
        Instant notBefore = NOW.minus(Duration.ofMinutes(1));
        Instant notAfter = NOW.plus(Duration.ofHours(24));
        WorkloadCertificate certificate = ROOT.leaf(ALICE).validity(notBefore, notAfter).build().workload(ALICE, ROOT);
        assertEquals(notBefore, certificate.notBefore());
        assertEquals(notAfter, certificate.notAfter());
        // Half of 24 h 1 min.
        assertEquals(notBefore.plus(Duration.ofHours(12)).plusSeconds(30), certificate.refreshAt());
    }

    @Test
    void expiresAfterNotAfter() {
        WorkloadCertificate certificate = ROOT.leaf(ALICE).build().workload(ALICE, ROOT);
        assertFalse(certificate.isExpired(certificate.notAfter()), "notAfter itself is still valid");
        assertTrue(certificate.isExpired(certificate.notAfter().plusMillis(1)));
    }

    @Test
    void toStringLeavesOutTheKey() {
        WorkloadCertificate certificate = ROOT.leaf(ALICE).build().workload(ALICE, ROOT);
        String text = certificate.toString();
        assertTrue(text.contains(ALICE.toString()) && text.contains("notAfter"), text);
        assertFalse(text.contains(certificate.key().toString()), text);
    }

    @Test
    void requiresALeaf() {
        WorkloadCertificate certificate = ROOT.leaf(ALICE).build().workload(ALICE, ROOT);
        assertThrows(IllegalArgumentException.class,
                () -> new WorkloadCertificate(ALICE, certificate.key(), List.of(), List.of()));
    }
}

package dev.ambient.ztunnel.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.TestCertificates.Authority;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustBundleTest {

    private static final Authority A = TestCertificates.root("a.example");
    private static final Authority B = TestCertificates.root("b.example");

    @Test
    void keepsRootsPerTrustDomain() {
        TrustBundle bundle = TrustBundle.of("a.example", List.of(A.certificate()))
                .with("b.example", List.of(B.certificate()));
        assertEquals(List.of(A.certificate()), bundle.roots("a.example"));
        assertEquals(List.of(B.certificate()), bundle.roots("b.example"));
        assertEquals(List.of(), bundle.roots("c.example"));
        assertEquals(Set.of("a.example", "b.example"), bundle.trustDomains());
        assertEquals(List.of(A.certificate(), B.certificate()), bundle.allRoots());
    }

    @Test
    void withReplacesAndWithoutRemovesWithoutTouchingTheOriginal() {
        TrustBundle original = TrustBundle.of("a.example", List.of(A.certificate()));
        TrustBundle replaced = original.with("a.example", List.of(B.certificate()));
        assertEquals(List.of(B.certificate()), replaced.roots("a.example"));
        assertEquals(List.of(A.certificate()), original.roots("a.example"));
        assertEquals(Set.of(), replaced.without("a.example").trustDomains());
        assertSame(original, original.without("c.example"));
    }

    @Test
    void sharedRootsAreListedOnce() {
        TrustBundle bundle = TrustBundle.of("a.example", List.of(A.certificate()))
                .with("alias.example", List.of(A.certificate()));
        assertEquals(List.of(A.certificate()), bundle.allRoots());
    }

    @Test
    void copiesItsInputAndRejectsBadDomains() {
        List<X509Certificate> roots = new ArrayList<>(List.of(A.certificate()));
        TrustBundle bundle = TrustBundle.of("a.example", roots);
        roots.clear();
        assertEquals(List.of(A.certificate()), bundle.roots("a.example"));
        assertThrows(UnsupportedOperationException.class, () -> bundle.roots("a.example").clear());
        assertThrows(InvalidSpiffeIdException.class, () -> TrustBundle.of("A.example", List.of()));
        assertThrows(InvalidSpiffeIdException.class, () -> TrustBundle.of("a.example:443", List.of()));
    }

    @Test
    void equalityAndDescription() {
        TrustBundle one = TrustBundle.of("a.example", List.of(A.certificate()));
        assertEquals(one, TrustBundle.empty().with("a.example", List.of(A.certificate())));
        assertTrue(one.toString().contains("a.example=1 root"), one.toString());
    }
}

package dev.ambient.ztunnel.identity;

import static dev.ambient.ztunnel.identity.TestCertificates.ALICE;
import static dev.ambient.ztunnel.identity.TestCertificates.CLOCK;
import static dev.ambient.ztunnel.identity.TestCertificates.NOW;
import static dev.ambient.ztunnel.identity.TestCertificates.TRUST_DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.TestCertificates.Authority;
import dev.ambient.ztunnel.identity.TestCertificates.Issued;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verifier-level items 1-10, 13 and 14 of RELIABILITY.md, each with its failure message. */
class SvidVerifierTest {

    private static final Authority ROOT = TestCertificates.root(TRUST_DOMAIN);
    private static final SvidVerifier VERIFIER = new SvidVerifier(ROOT.bundle(TRUST_DOMAIN), Set.of(TRUST_DOMAIN),
            CLOCK);
    private static final String ALICE_URI = ALICE.toString();

    @Test
    void acceptsWellFormedSvid() throws SvidException {
        assertEquals(ALICE, VERIFIER.verify(ROOT.leaf(ALICE).build().chainArray()));
    }

    // Item 1
    @Test
    void rejectsTwoUriSansInEitherOrder() {
        String other = "spiffe://cluster.local/ns/default/sa/bob";
        assertRejected(ROOT.leaf(ALICE).uris(ALICE_URI, other).build(), "has 2 URI SANs");
        assertRejected(ROOT.leaf(ALICE).uris(other, ALICE_URI).build(), "has 2 URI SANs");
    }

    // Item 2
    @Test
    void rejectsSpiffeUriNextToHttpsUri() {
        assertRejected(ROOT.leaf(ALICE).uris(ALICE_URI, "https://alice.example").build(), "has 2 URI SANs");
        assertRejected(ROOT.leaf(ALICE).uris("https://alice.example", ALICE_URI).build(), "has 2 URI SANs");
    }

    // Item 3
    @Test
    void rejectsMissingOrNonSpiffeUri() {
        assertRejected(ROOT.leaf(ALICE).uris().dnsName("alice.example").build(), "has no URI SAN");
        assertRejected(ROOT.leaf(ALICE).uris().build(), "has no subjectAltName extension");
        assertRejected(ROOT.leaf("https://cluster.local/ns/default/sa/alice").build(),
                "the scheme must be 'spiffe'");
        assertRejected(ROOT.leaf("spiffe://cluster.local").build(), "has no path");
        assertRejected(ROOT.leaf("spiffe://cluster.local/").build(), "path is empty");
    }

    // Item 4
    @Test
    void rejectsLeafThatCanActAsCa() {
        assertRejected(ROOT.leaf(ALICE).ca(true).build(), "is a CA (basicConstraints cA=true)");
        assertRejected(ROOT.leaf(ALICE).keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).build(),
                "keyCertSign or cRLSign");
        assertRejected(ROOT.leaf(ALICE).keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign).build(),
                "keyCertSign or cRLSign");
        assertRejected(ROOT.leaf(ALICE).keyUsage(KeyUsage.keyEncipherment).build(), "lacks the digitalSignature");
        assertRejected(ROOT.leaf(ALICE).keyUsage(null).build(), "has no KeyUsage extension");
    }

    // Item 5
    @ParameterizedTest
    @ValueSource(strings = {
        "spiffe://cluster.local:8080/ns/default/sa/alice",
        "spiffe://user@cluster.local/ns/default/sa/alice",
        "spiffe://cluster.local/ns/%41/sa/alice",
        "spiffe://cluster.local/ns//sa/alice",
        "spiffe://cluster.local/ns/default/sa/..",
        "spiffe://cluster.local/ns/default/sa/alice/",
        "spiffe://cluster.local/ns/default/sa/alice?x=1",
        "spiffe://Cluster.local/ns/default/sa/alice",
    })
    void rejectsMalformedIds(String uri) {
        assertRejected(ROOT.leaf(uri).build(), "URI SAN is not a valid SPIFFE ID");
    }

    @Test
    void accepts2048ByteId() throws SvidException {
        String longest = TestCertificates.idOfLength(2048);
        assertEquals(longest, VERIFIER.verify(ROOT.leaf(longest).build().chainArray()).toString());
    }

    // Item 6
    @Test
    void rejectsNulInAnySan() {
        assertRejected(ROOT.leaf(ALICE_URI + "\0.evil").build(), "contains a NUL byte");
        assertRejected(ROOT.leaf(ALICE).dnsName("alice.example\0.evil").build(), "contains a NUL byte");
    }

    @Test
    void spiffeNameInDnsSanDoesNotCount() {
        assertRejected(ROOT.leaf(ALICE).uris().dnsName(ALICE_URI).build(),
                "a spiffe:// name in a DNS SAN does not count");
    }

    // Item 7
    @Test
    void rejectsExpiredLeafNamingTheExpiry() {
        Instant expired = NOW.minus(Duration.ofHours(1));
        Issued leaf = ROOT.leaf(ALICE).validity(NOW.minus(Duration.ofDays(1)), expired).build();
        SvidException e = assertRejected(leaf, "certificate expired at " + expired + ": CN=test leaf");
        assertTrue(e.getMessage().contains(ALICE_URI), e.getMessage());
    }

    @Test
    void rejectsNotYetValidLeafNamingTheStart() {
        Instant start = NOW.plus(Duration.ofHours(1));
        Issued leaf = ROOT.leaf(ALICE).validity(start, NOW.plus(Duration.ofDays(1))).build();
        assertRejected(leaf, "certificate not yet valid, notBefore " + start + ": CN=test leaf");
    }

    @Test
    void rejectsExpiredOrNotYetValidIntermediate() {
        Instant expired = NOW.minus(Duration.ofMinutes(5));
        Authority old = ROOT.intermediate("old intermediate", NOW.minus(Duration.ofDays(30)), expired);
        assertRejected(old.leaf(ALICE).build(), "certificate expired at " + expired + ": CN=old intermediate");

        Instant start = NOW.plus(Duration.ofMinutes(5));
        Authority future = ROOT.intermediate("future intermediate", start, NOW.plus(Duration.ofDays(30)));
        assertRejected(future.leaf(ALICE).build(), "certificate not yet valid, notBefore " + start
                + ": CN=future intermediate");
    }

    // Item 8
    @Test
    void rejectsSameTrustDomainNameFromAnotherCa() {
        Authority impostor = TestCertificates.root(TRUST_DOMAIN);
        assertRejected(impostor.leaf(ALICE).build(), "does not lead to a trusted root of trust domain 'cluster.local'");
    }

    // Item 9
    @Test
    void rejectsDomainSignedByAnotherDomainsCa() throws SvidException {
        Authority rootB = TestCertificates.root("b.example");
        TrustBundle both = ROOT.bundle(TRUST_DOMAIN).with("b.example", List.of(rootB.certificate()));
        SvidVerifier verifier = new SvidVerifier(both, Set.of(TRUST_DOMAIN, "b.example"), CLOCK);
        SpiffeId bob = SpiffeId.of("b.example", "default", "bob");

        SvidException e = assertThrows(SvidException.class,
                () -> verifier.verify(ROOT.leaf(bob).build().chainArray()));
        assertTrue(e.getMessage().contains("trusted root of trust domain 'b.example'"), e.getMessage());
        // Control: the same identity from its own CA passes, and domain A still works.
        assertEquals(bob, verifier.verify(rootB.leaf(bob).build().chainArray()));
        assertEquals(ALICE, verifier.verify(ROOT.leaf(ALICE).build().chainArray()));
    }

    // Item 10
    @ParameterizedTest
    @ValueSource(strings = {"cluster.localx", "evil.cluster.local", "local", "cluster.loca"})
    void rejectsLookAlikeTrustDomains(String trustDomain) {
        assertRejected(ROOT.leaf(SpiffeId.of(trustDomain, "default", "alice")).build(),
                "trust domain '" + trustDomain + "' of spiffe://" + trustDomain + "/ns/default/sa/alice is not accepted");
    }

    @Test
    void rejectsAcceptedDomainWithoutRoots() {
        SvidVerifier verifier = new SvidVerifier(ROOT.bundle(TRUST_DOMAIN), Set.of(TRUST_DOMAIN, "b.example"), CLOCK);
        SvidException e = assertThrows(SvidException.class, () -> verifier.verify(
                ROOT.leaf(SpiffeId.of("b.example", "default", "bob")).build().chainArray()));
        assertTrue(e.getMessage().contains("no trusted roots for trust domain 'b.example'"), e.getMessage());
    }

    // Item 13
    @Test
    void rejectsLeafWithoutBothTlsPurposes() {
        assertRejected(ROOT.leaf(ALICE).extendedKeyUsage(KeyPurposeId.id_kp_emailProtection).build(),
                "without both serverAuth and clientAuth");
        assertRejected(ROOT.leaf(ALICE).extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build(),
                "without both serverAuth and clientAuth");
    }

    @Test
    void acceptsLeafWithoutExtendedKeyUsage() throws SvidException {
        assertEquals(ALICE, VERIFIER.verify(ROOT.leaf(ALICE).extendedKeyUsage().build().chainArray()));
    }

    // Item 14
    @Test
    void acceptsPositiveControls() throws SvidException {
        Authority intermediate = ROOT.intermediate("intermediate 1").intermediate("intermediate 2");
        Issued viaIntermediates = intermediate.leaf(ALICE).build();
        assertEquals(3, viaIntermediates.chain().size());
        assertEquals(ALICE, VERIFIER.verify(viaIntermediates.chainArray()));

        assertEquals(ALICE, VERIFIER.verify(ROOT.leaf(ALICE).dnsName("alice.default.svc").build().chainArray()));
        Issued emptySubject = ROOT.leaf(ALICE).emptySubject().build();
        assertTrue(emptySubject.leaf().getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN is critical");
        assertEquals(ALICE, VERIFIER.verify(emptySubject.chainArray()));
    }

    @Test
    void acceptsChainThatIncludesItsRoot() throws SvidException {
        List<X509Certificate> withRoot = new ArrayList<>(ROOT.intermediate("i").leaf(ALICE).build().chain());
        withRoot.add(ROOT.certificate());
        assertEquals(ALICE, VERIFIER.verify(withRoot));
    }

    @Test
    void rejectsMissingIncompleteOrOverlongChains() {
        assertThrows(SvidException.class, () -> VERIFIER.verify(new X509Certificate[0]));
        assertThrows(SvidException.class, () -> VERIFIER.verify((X509Certificate[]) null));
        Authority intermediate = ROOT.intermediate("missing intermediate");
        X509Certificate leafOnly = intermediate.leaf(ALICE).build().leaf();
        SvidException incomplete = assertThrows(SvidException.class,
                () -> VERIFIER.verify(new X509Certificate[] {leafOnly}));
        assertTrue(incomplete.getMessage().contains("does not lead to a trusted root"), incomplete.getMessage());
        X509Certificate[] tooLong = new X509Certificate[SvidVerifier.MAX_CHAIN_LENGTH + 1];
        Arrays.fill(tooLong, leafOnly);
        SvidException e = assertThrows(SvidException.class, () -> VERIFIER.verify(tooLong));
        assertTrue(e.getMessage().contains("at most " + SvidVerifier.MAX_CHAIN_LENGTH), e.getMessage());
    }

    @Test
    void checksValidityWithTheInjectedClock() throws SvidException {
        Issued leaf = ROOT.leaf(ALICE).build();
        FakeClock clock = new FakeClock(NOW);
        SvidVerifier verifier = new SvidVerifier(ROOT.bundle(TRUST_DOMAIN), Set.of(TRUST_DOMAIN), clock);
        assertEquals(ALICE, verifier.verify(leaf.chainArray()));
        clock.set(leaf.leaf().getNotAfter().toInstant().plusSeconds(1));
        assertThrows(SvidException.class, () -> verifier.verify(leaf.chainArray()));
    }

    private static SvidException assertRejected(Issued issued, String messagePart) {
        SvidException e = assertThrows(SvidException.class, () -> VERIFIER.verify(issued.chainArray()));
        assertTrue(e.getMessage().contains(messagePart), "expected '" + messagePart + "' in: " + e.getMessage());
        return e;
    }
}

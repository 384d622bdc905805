package dev.ambient.ztunnel.identity;

import static dev.ambient.ztunnel.identity.TestCertificates.ALICE;
import static dev.ambient.ztunnel.identity.TestCertificates.BOB;
import static dev.ambient.ztunnel.identity.TestCertificates.CLOCK;
import static dev.ambient.ztunnel.identity.TestCertificates.NOW;
import static dev.ambient.ztunnel.identity.TestCertificates.TRUST_DOMAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedCaTest {

    private static final EmbeddedCa CA = EmbeddedCa.generate(TRUST_DOMAIN, CLOCK);

    @Test
    void rootIsASelfSignedCaForTenYears() throws Exception {
        X509Certificate root = CA.root();
        root.verify(root.getPublicKey());
        assertTrue(root.getBasicConstraints() >= 0, "cA=true");
        assertTrue(root.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        boolean[] keyUsage = root.getKeyUsage();
        assertTrue(keyUsage[5] && keyUsage[6], "keyCertSign and cRLSign");
        assertTrue(root.getSubjectX500Principal().getName().contains("O=cluster.local"));
        assertEquals("SHA256withECDSA", root.getSigAlgName());
        assertEquals(NOW.plus(EmbeddedCa.ROOT_VALIDITY), root.getNotAfter().toInstant());
        assertEquals(List.of(root), CA.bundle().roots(TRUST_DOMAIN));
    }

    @Test
    void issuesSvidsThatTheVerifierAccepts() throws Exception {
        Csr csr = Csr.generate(ALICE);
        List<X509Certificate> chain = CA.sign(ALICE, csr.pem(), Duration.ofHours(24)).get();

        assertEquals(2, chain.size());
        assertEquals(CA.root(), chain.get(1));
        X509Certificate leaf = chain.get(0);
        assertEquals(ALICE, new SvidVerifier(CA.bundle(), Set.of(TRUST_DOMAIN), CLOCK).verify(List.of(leaf)));
        assertArrayEquals(csr.keyPair().getPublic().getEncoded(), leaf.getPublicKey().getEncoded());
        assertEquals(NOW.minus(Duration.ofMinutes(1)), leaf.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofHours(24)), leaf.getNotAfter().toInstant());
        assertEquals("", leaf.getSubjectX500Principal().getName());
        assertTrue(leaf.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.17", "2.5.29.19", "2.5.29.15")),
                "SAN, basicConstraints and keyUsage are critical: " + leaf.getCriticalExtensionOIDs());
        assertEquals(-1, leaf.getBasicConstraints());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getKeyUsage()[0] && leaf.getKeyUsage()[2], "digitalSignature and keyEncipherment");
        assertEquals(128, leaf.getSerialNumber().bitLength());
        assertTrue(leaf.getExtensionValue("2.5.29.14") != null, "subject key identifier");
        byte[] authorityKeyId = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                leaf.getExtensionValue("2.5.29.35"))).getKeyIdentifierOctets();
        byte[] rootKeyId = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                CA.root().getExtensionValue("2.5.29.14"))).getKeyIdentifier();
        assertArrayEquals(rootKeyId, authorityKeyId, "leaf AKI names the root's key");
    }

    @Test
    void serialsAreRandom() throws Exception {
        KeyPair keyPair = Csr.newKeyPair();
        X509Certificate first = CA.issueFor(ALICE, keyPair.getPublic(), Duration.ofHours(1));
        X509Certificate second = CA.issueFor(ALICE, keyPair.getPublic(), Duration.ofHours(1));
        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
    }

    @Test
    void refusesCsrWithTwoUriSans() {
        KeyPair keyPair = Csr.newKeyPair();
        String pem = csr(keyPair, keyPair, ALICE.toString(), BOB.toString());
        assertRefused(CA.sign(ALICE, pem, Duration.ofHours(1)), "must carry exactly one URI SAN, it has 2");
    }

    @Test
    void refusesCsrForAnotherIdentity() {
        KeyPair keyPair = Csr.newKeyPair();
        assertRefused(CA.sign(ALICE, csr(keyPair, keyPair, BOB.toString()), Duration.ofHours(1)),
                "CSR asks for \"" + BOB + "\" but the request is for " + ALICE);
        assertRefused(CA.sign(ALICE, csr(keyPair, keyPair), Duration.ofHours(1)),
                "must carry exactly one URI SAN, it has 0");
    }

    @Test
    void refusesBadSignatureGarbageAndForeignTrustDomain() {
        KeyPair keyPair = Csr.newKeyPair();
        String forged = csr(keyPair, Csr.newKeyPair(), ALICE.toString());
        assertRefused(CA.sign(ALICE, forged, Duration.ofHours(1)), "invalid signature");
        assertRefused(CA.sign(ALICE, "not a csr", Duration.ofHours(1)), "is not a PEM CERTIFICATE REQUEST");
        SpiffeId foreign = SpiffeId.of("other.domain", "default", "alice");
        assertRefused(CA.sign(foreign, Csr.generate(foreign).pem(), Duration.ofHours(1)),
                "signs only for trust domain 'cluster.local'");
        assertRefused(CA.sign(ALICE, Csr.generate(ALICE).pem(), Duration.ZERO), "is not positive");
    }

    @Test
    void createsThenLoadsTheSameCa(@TempDir Path temp) throws Exception {
        Path dir = temp.resolve("ca/nested");
        EmbeddedCa created = EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK);

        Path key = dir.resolve("root-key.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("root-cert.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
        assertFalse(Files.exists(dir.resolve("root-key.pem.tmp")));

        EmbeddedCa loaded = EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK);
        assertEquals(created.root(), loaded.root());
        // What the reloaded CA issues is trusted by peers that trust the original.
        X509Certificate leaf = loaded.issueFor(ALICE, Csr.newKeyPair().getPublic(), Duration.ofHours(1));
        assertEquals(ALICE, new SvidVerifier(created.bundle(), Set.of(TRUST_DOMAIN), CLOCK).verify(List.of(leaf)));
    }

    @Test
    void loadsSec1EcPrivateKey(@TempDir Path dir) throws Exception {
        EmbeddedCa original = EmbeddedCa.generate(TRUST_DOMAIN, CLOCK);
        // The form "openssl ecparam -genkey" writes: SEC1 with the curve and the public key.
        ECPrivateKey key = (ECPrivateKey) original.rootKey();
        ASN1BitString publicKey = SubjectPublicKeyInfo.getInstance(original.root().getPublicKey().getEncoded())
                .getPublicKeyData();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), publicKey,
                X9ObjectIdentifiers.prime256v1).getEncoded();
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1));
        }
        Files.writeString(dir.resolve("root-key.pem"), pem.toString());
        Files.writeString(dir.resolve("root-cert.pem"), Pem.encode(original.root()));

        EmbeddedCa loaded = EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK);
        X509Certificate leaf = loaded.issueFor(ALICE, Csr.newKeyPair().getPublic(), Duration.ofHours(1));
        leaf.verify(original.root().getPublicKey());
    }

    @Test
    void refusesToGuessWhenOneFileIsMissing(@TempDir Path dir) throws Exception {
        EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK);
        Path key = dir.resolve("root-key.pem");
        Path cert = dir.resolve("root-cert.pem");
        byte[] keyBytes = Files.readAllBytes(key);
        Files.delete(key);
        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK));
        assertTrue(noKey.getMessage().contains("has root-cert.pem but " + key + " is missing"), noKey.getMessage());
        assertFalse(Files.exists(key), "nothing was generated");

        Files.write(key, keyBytes);
        Files.delete(cert);
        IllegalStateException noCert = assertThrows(IllegalStateException.class,
                () -> EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK));
        assertTrue(noCert.getMessage().contains("has root-key.pem but " + cert + " is missing"), noCert.getMessage());
    }

    @Test
    void refusesKeyThatDoesNotMatchTheCertificate(@TempDir Path dir) throws Exception {
        EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK);
        Files.writeString(dir.resolve("root-key.pem"), Pem.encode(Csr.newKeyPair().getPrivate()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedCa.loadOrCreate(dir, TRUST_DOMAIN, CLOCK));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    private static void assertRefused(CompletableFuture<List<X509Certificate>> result, String messagePart) {
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertInstanceOf(CaException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains(messagePart),
                "expected '" + messagePart + "' in: " + e.getCause().getMessage());
    }

    /** A CSR for {@code subject}'s public key carrying {@code uris}, signed with {@code signer}. */
    private static String csr(KeyPair subject, KeyPair signer, String... uris) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), subject.getPublic());
            if (uris.length > 0) {
                GeneralNames names = new GeneralNames(Arrays.stream(uris)
                        .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
                        .toArray(GeneralName[]::new));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                        new Extensions(new Extension(Extension.subjectAlternativeName, true, names.getEncoded())));
            }
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                        .build(signer.getPrivate())));
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

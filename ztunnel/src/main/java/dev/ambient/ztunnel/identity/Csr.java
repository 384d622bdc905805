package dev.ambient.ztunnel.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A fresh key pair and the PEM PKCS#10 request asking a CA to certify it for one SPIFFE ID.
 * Every renewal makes a new key, so a leaked key dies with its certificate.
 *
 * @param identity the identity requested, carried as the CSR's only (critical) URI SAN
 * @param keyPair  ECDSA P-256 key pair; the private key never leaves this process
 * @param pem      the "CERTIFICATE REQUEST" PEM block, signed with SHA256withECDSA
 */
public record Csr(SpiffeId identity, KeyPair keyPair, String pem) {

    public Csr {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(pem, "pem");
    }

    /** A new P-256 key pair and a CSR for {@code identity}. */
    public static Csr generate(SpiffeId identity) {
        Objects.requireNonNull(identity, "identity");
        KeyPair keyPair = newKeyPair();
        try {
            GeneralNames names = new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString()));
            // Subject is empty, so the SAN carries the identity and must be critical (RFC 5280 4.2.1.6).
            Extensions extensions = new Extensions(new Extension(Extension.subjectAlternativeName, true,
                    names.getEncoded()));
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(new RDN[0]), keyPair.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions)
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(request);
            }
            return new Csr(identity, keyPair, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("BUG: cannot encode a CSR for " + identity, e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("SHA256withECDSA is not available in this JVM", e);
        }
    }

    /** A new ECDSA P-256 key pair, the only key type mesh certificates use. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 key generation is not available in this JVM", e);
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "Csr{" + identity + "}";
    }
}

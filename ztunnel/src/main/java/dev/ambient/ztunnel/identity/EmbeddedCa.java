package dev.ambient.ztunnel.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority inside the process, for local clusters, demos and tests where no
 * Istio CA runs. It issues X.509-SVIDs shaped like Istio's (empty subject, one critical URI SAN,
 * serverAuth + clientAuth, ECDSA P-256) from a self-signed root that it creates once and keeps
 * on disk, so that restarts do not invalidate every certificate in the mesh.
 */
public final class EmbeddedCa implements CaClient {

    /** Lifetime of a generated root. */
    public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);
    /** Leaves are backdated by this much so a peer whose clock is a little behind accepts them. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final String trustDomain;
    private final PrivateKey rootKey;
    private final X509Certificate root;
    private final Clock clock;
    private final TrustBundle bundle;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    private final SecureRandom random = new SecureRandom();

    EmbeddedCa(String trustDomain, PrivateKey rootKey, X509Certificate root, Clock clock) {
        this.trustDomain = SpiffeId.requireTrustDomain(trustDomain);
        this.rootKey = Objects.requireNonNull(rootKey, "rootKey");
        this.root = Objects.requireNonNull(root, "root");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!keyMatches(rootKey, root.getPublicKey())) {
            throw new IllegalStateException("the CA private key does not belong to the root certificate "
                    + root.getSubjectX500Principal().getName());
        }
        this.bundle = TrustBundle.of(trustDomain, List.of(root));
        this.authorityKeyIdentifier = authorityKeyIdentifier(root);
    }

    /** A new CA that lives only in memory. */
    public static EmbeddedCa generate(String trustDomain, Clock clock) {
        SpiffeId.requireTrustDomain(trustDomain);
        KeyPair keyPair = Csr.newKeyPair();
        return new EmbeddedCa(trustDomain, keyPair.getPrivate(), selfSignedRoot(trustDomain, keyPair, clock), clock);
    }

    /**
     * Loads the CA from {@code caDir/root-cert.pem} and {@code caDir/root-key.pem}, or creates
     * both (key readable by the owner only) if neither exists.
     *
     * @throws IllegalStateException if only one of the files exists, or they are unusable
     * @throws java.io.UncheckedIOException if the files cannot be read or written
     */
    public static EmbeddedCa loadOrCreate(Path caDir, String trustDomain, Clock clock) {
        return CaFiles.loadOrCreate(caDir, trustDomain, clock);
    }

    /**
     * A CA from its root certificate and private key in PEM, as kept in files or a Kubernetes Secret.
     *
     * @param where names them in errors
     * @throws IllegalStateException naming {@code where} when either cannot be read, the root is not a
     *     CA or has expired, or the key does not belong to it
     */
    public static EmbeddedCa fromPem(String trustDomain, String certPem, String keyPem, String where, Clock clock) {
        X509Certificate root;
        PrivateKey key;
        try {
            List<X509Certificate> certificates = Pem.decodeCertificates(certPem);
            if (certificates.isEmpty()) {
                throw new IllegalStateException("the CA certificate in " + where + " holds no certificate");
            }
            root = certificates.get(0);
        } catch (CertificateException e) {
            throw new IllegalStateException("the CA certificate in " + where + " is unusable: " + e.getMessage(), e);
        }
        try {
            key = Pem.decodePrivateKey(keyPem);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the CA key in " + where + " is unusable: " + e.getMessage(), e);
        }
        if (root.getBasicConstraints() < 0) {
            throw new IllegalStateException("the CA certificate in " + where + " is not a CA (basicConstraints cA=false)");
        }
        if (clock.instant().isAfter(root.getNotAfter().toInstant())) {
            throw new IllegalStateException("the CA certificate in " + where + " expired at "
                    + root.getNotAfter().toInstant() + "; replace both the certificate and the key");
        }
        try {
            return new EmbeddedCa(trustDomain, key, root, clock);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("in " + where + " the key does not match the certificate: "
                    + e.getMessage(), e);
        }
    }

    /** The root's private key in PEM, for storing where only the CA can read it. */
    public String rootKeyPem() {
        return Pem.encode(rootKey);
    }

    public String trustDomain() {
        return trustDomain;
    }

    public X509Certificate root() {
        return root;
    }

    /** The bundle that trusts this CA for its trust domain. */
    public TrustBundle bundle() {
        return bundle;
    }

    PrivateKey rootKey() {
        return rootKey;
    }

    /**
     * Signs {@code csrPem} if it is validly signed, holds a P-256 key and carries exactly one URI
     * SAN equal to {@code identity}. Completes with [leaf, root], or exceptionally with a
     * {@link CaException} saying why the request was refused.
     */
    @Override
    public CompletableFuture<List<X509Certificate>> sign(SpiffeId identity, String csrPem, Duration validity) {
        try {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(csrPem, "csrPem");
            PublicKey key = SigningRequest.check(identity, csrPem);
            return CompletableFuture.completedFuture(List.of(issueFor(identity, key, validity), root));
        } catch (CaException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Issues an X.509-SVID for {@code identity} and {@code publicKey} without a CSR, valid from
     * one minute ago for {@code validity} (never beyond the root's own expiry).
     *
     * @throws CaException if the identity is of another trust domain or the root has expired
     */
    public X509Certificate issueFor(SpiffeId identity, PublicKey publicKey, Duration validity) throws CaException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(publicKey, "publicKey");
        if (validity.isNegative() || validity.isZero()) {
            throw new CaException("requested validity " + validity + " for " + identity + " is not positive");
        }
        if (!identity.trustDomain().equals(trustDomain)) {
            throw new CaException("this CA signs only for trust domain '" + trustDomain + "', not " + identity);
        }
        Instant now = clock.instant();
        Instant notAfter = min(now.plus(validity), root.getNotAfter().toInstant());
        if (!notAfter.isAfter(now)) {
            throw new CaException("the CA root expired at " + root.getNotAfter().toInstant()
                    + "; replace it to issue certificates");
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            GeneralNames san = new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString()));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), new X500Name(new RDN[0]), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    // Critical because the subject is empty (RFC 5280 4.2.1.6).
                    .addExtension(Extension.subjectAlternativeName, true, san)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            return sign(builder, rootKey);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new CaException("cannot issue a certificate for " + identity + ": " + e.getMessage(), e);
        }
    }

    /**
     * The root's own key identifier when it has one (roots made by openssl or another CA may use
     * another method than ours), and only the key identifier, so leaves stay valid under a root
     * re-issued with the same key.
     */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate root) {
        try {
            byte[] rootKeyId = root.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            if (rootKeyId != null) {
                return new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(
                        JcaX509ExtensionUtils.parseExtensionValue(rootKeyId)).getKeyIdentifier());
            }
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root.getPublicKey());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key identifier of the CA root "
                    + root.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        }
    }

    static X509Certificate selfSignedRoot(String trustDomain, KeyPair keyPair, Clock clock) {
        Instant now = clock.instant();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, trustDomain)
                .addRDN(BCStyle.CN, "ambient mesh root CA")
                .build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(128,
                    new SecureRandom()).setBit(127), Date.from(now.minus(CLOCK_SKEW)),
                    Date.from(now.plus(ROOT_VALIDITY)), subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            return sign(builder, keyPair.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a root certificate for trust domain '"
                    + trustDomain + "': " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(SIGNATURE_ALGORITHM + " signing is not available: " + e.getMessage(), e);
        }
    }

    /** 128 random bits; bit 127 set so every serial has the same length and is positive. */
    private BigInteger serial() {
        return new BigInteger(128, random).setBit(127);
    }

    private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] challenge = "embedded-ca key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        return "EmbeddedCa{" + trustDomain + ", root " + root.getSubjectX500Principal().getName()
                + ", notAfter " + root.getNotAfter().toInstant() + "}";
    }
}

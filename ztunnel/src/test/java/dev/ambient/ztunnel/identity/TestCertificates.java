package dev.ambient.ztunnel.identity;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Crafts certificates for identity and TLS tests: roots, intermediates and leaves with any
 * combination of SANs, key usages, validity and issuer, including the malformed ones a verifier
 * must refuse. Everything is dated relative to {@link #NOW} so tests can use {@link #CLOCK}.
 */
public final class TestCertificates {

    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String TRUST_DOMAIN = "cluster.local";
    public static final SpiffeId ALICE = SpiffeId.of(TRUST_DOMAIN, "default", "alice");
    public static final SpiffeId BOB = SpiffeId.of(TRUST_DOMAIN, "default", "bob");

    private static final AtomicLong SERIALS = new AtomicLong(1000);
    /** Key generation dominates fixture cost; leaves share one key unless a test needs its own. */
    private static final KeyPair SHARED_LEAF_KEY = Csr.newKeyPair();

    private TestCertificates() {
    }

    /** A self-signed root CA, valid from a day before {@link #NOW} for ten years. */
    public static Authority root(String trustDomain) {
        KeyPair keyPair = Csr.newKeyPair();
        X500Name subject = new X500Name("O=" + trustDomain + ",CN=test root " + SERIALS.incrementAndGet());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(3650))), subject,
                keyPair.getPublic());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keyPair.getPublic()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Authority(keyPair, sign(builder, keyPair), List.of());
    }

    /** A URI of exactly {@code bytes} bytes, shaped like a Kubernetes identity. */
    public static String idOfLength(int bytes) {
        String prefix = "spiffe://" + TRUST_DOMAIN + "/ns/default/sa/";
        return prefix + "a".repeat(bytes - prefix.length());
    }

    /**
     * A CA certificate with its key.
     *
     * @param intermediates what a peer sends between its leaf and the root: this certificate
     *                      first if it is an intermediate, then its parents; empty for a root
     */
    public record Authority(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> intermediates) {

        /** A bundle trusting this authority for {@code trustDomain}. */
        public TrustBundle bundle(String trustDomain) {
            return TrustBundle.of(trustDomain, List.of(certificate));
        }

        public Authority intermediate(String commonName) {
            return intermediate(commonName, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
        }

        /** An intermediate CA signed by this one. */
        public Authority intermediate(String commonName, Instant notBefore, Instant notAfter) {
            KeyPair keyPair = Csr.newKeyPair();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), keyPair.getPublic());
            try {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                utils.createSubjectKeyIdentifier(keyPair.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                utils.createAuthorityKeyIdentifier(certificate));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            X509Certificate issued = sign(builder, this.keyPair);
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(issued);
            chain.addAll(intermediates);
            return new Authority(keyPair, issued, List.copyOf(chain));
        }

        /** A well-formed X.509-SVID for {@code uri}, to be changed with the builder's methods. */
        public LeafBuilder leaf(String uri) {
            return new LeafBuilder(this).uris(uri);
        }

        public LeafBuilder leaf(SpiffeId id) {
            return leaf(id.toString());
        }
    }

    /** A leaf, its key, and the chain a peer would send (leaf first, no root). */
    public record Issued(KeyPair keyPair, X509Certificate leaf, List<X509Certificate> chain) {

        public X509Certificate[] chainArray() {
            return chain.toArray(X509Certificate[]::new);
        }

        /** As a node's own credentials, trusting {@code root}. */
        public WorkloadCertificate workload(SpiffeId identity, Authority root) {
            return new WorkloadCertificate(identity, keyPair.getPrivate(), chain, List.of(root.certificate()));
        }
    }

    /**
     * A leaf under construction. Defaults: subject {@code CN=test leaf}, the given URI SAN
     * (non-critical), cA=false, KeyUsage digitalSignature|keyEncipherment, EKU serverAuth +
     * clientAuth, valid one hour before to one day after {@link #NOW}.
     */
    public static final class LeafBuilder {
        private final Authority issuer;
        private final List<GeneralName> uris = new ArrayList<>();
        private final List<GeneralName> others = new ArrayList<>();
        private X500Name subject = new X500Name("CN=test leaf");
        private boolean ca;
        private Integer keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        private KeyPurposeId[] extendedKeyUsage = {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
        private Instant notBefore = NOW.minus(Duration.ofHours(1));
        private Instant notAfter = NOW.plus(Duration.ofDays(1));
        private KeyPair keyPair = SHARED_LEAF_KEY;

        private LeafBuilder(Authority issuer) {
            this.issuer = issuer;
        }

        /** Replaces the URI SANs; any number, in the order given. */
        public LeafBuilder uris(String... values) {
            uris.clear();
            Arrays.stream(values).forEach(value -> uris.add(new GeneralName(GeneralName.uniformResourceIdentifier,
                    new DERIA5String(value))));
            return this;
        }

        public LeafBuilder dnsName(String value) {
            others.add(new GeneralName(GeneralName.dNSName, new DERIA5String(value)));
            return this;
        }

        /** Empty subject, which makes the SAN extension critical as RFC 5280 requires. */
        public LeafBuilder emptySubject() {
            subject = new X500Name(new RDN[0]);
            return this;
        }

        public LeafBuilder ca(boolean value) {
            ca = value;
            return this;
        }

        /** KeyUsage bits from {@link KeyUsage}, or null for no KeyUsage extension. */
        public LeafBuilder keyUsage(Integer bits) {
            keyUsage = bits;
            return this;
        }

        /** EKU purposes, or none at all for no EKU extension. */
        public LeafBuilder extendedKeyUsage(KeyPurposeId... purposes) {
            extendedKeyUsage = purposes;
            return this;
        }

        public LeafBuilder validity(Instant from, Instant until) {
            notBefore = from;
            notAfter = until;
            return this;
        }

        public LeafBuilder freshKey() {
            keyPair = Csr.newKeyPair();
            return this;
        }

        public Issued build() {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic());
            try {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                if (keyUsage != null) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (extendedKeyUsage.length > 0) {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
                }
                List<GeneralName> names = new ArrayList<>(uris);
                names.addAll(others);
                if (!names.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuer.certificate()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            X509Certificate leaf = sign(builder, issuer.keyPair());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(leaf);
            chain.addAll(issuer.intermediates());
            return new Issued(keyPair, leaf, List.copyOf(chain));
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }
}

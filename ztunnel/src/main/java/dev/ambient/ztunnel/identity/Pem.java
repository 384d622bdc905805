package dev.ambient.ztunnel.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM encoding of certificates and keys, the format of CA files on disk and of Istio's CA API.
 * Keys are written as PKCS#8 and read as PKCS#8 or SEC1 ("EC PRIVATE KEY"), since operators
 * bring keys made by openssl in either form.
 */
public final class Pem {

    private Pem() {
    }

    /** One certificate as a PEM "CERTIFICATE" block. */
    public static String encode(X509Certificate certificate) {
        return encodeAll(List.of(certificate));
    }

    /** Certificates as consecutive PEM blocks, in the given order. */
    public static String encodeAll(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BUG: cannot PEM-encode certificates", e);
        }
        return out.toString();
    }

    /** A private key as a PKCS#8 "PRIVATE KEY" block. */
    public static String encode(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException("BUG: cannot PEM-encode a private key", e);
        }
        return out.toString();
    }

    /**
     * Every "CERTIFICATE" block in {@code pem}, in order.
     *
     * @throws CertificateException if there is none, or a block is not a certificate
     */
    public static List<X509Certificate> decodeCertificates(String pem) throws CertificateException {
        Objects.requireNonNull(pem, "pem");
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (!(block instanceof X509CertificateHolder holder)) {
                    throw new CertificateException("expected only CERTIFICATE blocks, found "
                            + block.getClass().getSimpleName());
                }
                certificates.add(converter.getCertificate(holder));
            }
        } catch (IOException e) {
            throw new CertificateException("malformed PEM: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no PEM CERTIFICATE block found");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key in {@code pem}, PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY".
     *
     * @throws IOException if there is no unencrypted private key
     */
    public static PrivateKey decodePrivateKey(String pem) throws IOException {
        Objects.requireNonNull(pem, "pem");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (block instanceof PEMKeyPair pair) {
                    // Only the private part: SEC1 keys may omit the optional public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                // Parameters blocks ("EC PARAMETERS") precede SEC1 keys written by openssl; skip them.
            }
        }
        throw new IOException("no unencrypted PRIVATE KEY or EC PRIVATE KEY block found");
    }
}

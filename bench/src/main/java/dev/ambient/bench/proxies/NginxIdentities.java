package dev.ambient.bench.proxies;

import dev.ambient.ztunnel.meshfile.LoopbackPods;
import dev.ambient.bench.BenchException;
import dev.ambient.ztunnel.identity.CaException;
import dev.ambient.ztunnel.identity.Csr;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates of the C proxies (the nginx pair, the HAProxy and nginx sidecars), from the same CA
 * as the ztunnels, as PEM files they read.
 * The client's is an X.509-SVID exactly as ztunnel's ({@link EmbeddedCa#issueFor}). The server's
 * carries the server SPIFFE ID and additionally the DNS name {@link #SERVER_NAME}: nginx's
 * {@code proxy_ssl_verify} always checks a host name and cannot match a URI SAN, so a pure SVID
 * would fail every handshake. The extra SAN costs nothing in the handshake being measured.
 *
 * @param root the CA root, trusted by both sides
 * @param clientCertificate the client SVID
 * @param clientKey its key
 * @param serverCertificate the server SVID with the DNS name
 * @param serverKey its key
 */
public record NginxIdentities(Path root, Path clientCertificate, Path clientKey, Path serverCertificate, Path serverKey) {

    /** The DNS name the client-side nginx verifies on the server's certificate. */
    public static final String SERVER_NAME = "server.demo.svc.cluster.local";

    private static final Duration VALIDITY = Duration.ofHours(24);

    /** Issues both certificates and writes them into {@code dir}; {@code caDir} holds the CA's key. */
    public static NginxIdentities write(EmbeddedCa ca, Path caDir, Path dir) throws BenchException {
        return write(ca, caDir, dir, LoopbackPods.CLIENT_ID, LoopbackPods.SERVER_ID);
    }

    /** The same for the given client and server SPIFFE IDs. */
    public static NginxIdentities write(EmbeddedCa ca, Path caDir, Path dir, String clientId, String serverId)
            throws BenchException {
        try {
            Files.createDirectories(dir);
            KeyPair client = Csr.newKeyPair();
            X509Certificate clientCert = ca.issueFor(SpiffeId.parse(clientId), client.getPublic(), VALIDITY);
            KeyPair server = Csr.newKeyPair();
            PrivateKey rootKey = Pem.decodePrivateKey(Files.readString(caDir.resolve("root-key.pem")));
            X509Certificate serverCert = issueWithDnsName(ca.root(), rootKey, server, serverId, SERVER_NAME);
            NginxIdentities files = new NginxIdentities(dir.resolve("root-cert.pem"), dir.resolve("client-cert.pem"),
                    dir.resolve("client-key.pem"), dir.resolve("server-cert.pem"), dir.resolve("server-key.pem"));
            Files.writeString(files.root, Pem.encode(ca.root()));
            Files.writeString(files.clientCertificate, Pem.encode(clientCert));
            writePrivate(files.clientKey, Pem.encode(client.getPrivate()));
            Files.writeString(files.serverCertificate, Pem.encode(serverCert));
            writePrivate(files.serverKey, Pem.encode(server.getPrivate()));
            return files;
        } catch (IOException e) {
            throw new BenchException("cannot write the nginx certificates into " + dir + ": " + e.getMessage(), e);
        } catch (CaException | GeneralSecurityException | OperatorCreationException e) {
            throw new BenchException("cannot issue the nginx certificates: " + e.getMessage(), e);
        }
    }

    /** The same shape as {@link EmbeddedCa}'s SVIDs (empty subject, critical SAN, both EKUs), plus a DNS SAN. */
    private static X509Certificate issueWithDnsName(X509Certificate root, PrivateKey rootKey, KeyPair key, String spiffeId,
            String dnsName) throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        GeneralNames san = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId),
            new GeneralName(GeneralName.dNSName, dnsName)});
        var builder = new JcaX509v3CertificateBuilder(root, new BigInteger(128, new SecureRandom()).setBit(127),
                Date.from(now.minus(EmbeddedCa.CLOCK_SKEW)), Date.from(now.plus(VALIDITY)), new X500Name(new RDN[0]),
                key.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, true, san)
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(root, extensions));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey)));
    }

    /** The root's own key identifier, so the chain links the same way as for ztunnel's SVIDs. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate root, JcaX509ExtensionUtils extensions)
            throws IOException, GeneralSecurityException {
        byte[] rootKeyId = root.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (rootKeyId == null) {
            return extensions.createAuthorityKeyIdentifier(root.getPublicKey());
        }
        return new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(rootKeyId)).getKeyIdentifier());
    }

    private static void writePrivate(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem);
    }
}

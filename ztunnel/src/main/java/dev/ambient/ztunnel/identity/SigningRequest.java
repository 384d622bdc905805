package dev.ambient.ztunnel.identity;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The checks a CA makes on a certificate signing request before it certifies anything: the
 * requester proves it holds the key (signature), asks for a key type the mesh uses, and asks
 * for exactly the identity it claims, since the SAN is what peers will trust.
 */
final class SigningRequest {

    private SigningRequest() {
    }

    /**
     * The public key to certify, if {@code csrPem} is a validly signed PKCS#10 request for a P-256
     * key whose only URI SAN is {@code identity}.
     *
     * @throws CaException saying what is wrong with the request
     */
    static PublicKey check(SpiffeId identity, String csrPem) throws CaException {
        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest request)) {
                throw new CaException("request for " + identity + " is not a PEM CERTIFICATE REQUEST");
            }
            csr = request;
        } catch (IOException | RuntimeException e) {
            throw new CaException("request for " + identity + " is not a readable PEM CSR: " + e.getMessage(), e);
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new CaException("CSR for " + identity + " has an invalid signature");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new CaException("cannot verify the signature of the CSR for " + identity + ": " + e.getMessage(), e);
        }
        var algorithm = csr.getSubjectPublicKeyInfo().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                || !X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters())) {
            throw new CaException("CSR for " + identity + " must hold an ECDSA P-256 key");
        }
        List<String> uris = requestedUris(csr);
        if (uris.size() != 1) {
            throw new CaException("CSR for " + identity + " must carry exactly one URI SAN, it has " + uris.size()
                    + " " + uris.stream().map(InvalidSpiffeIdException::quote).toList());
        }
        if (!uris.get(0).equals(identity.toString())) {
            throw new CaException("CSR asks for " + InvalidSpiffeIdException.quote(uris.get(0))
                    + " but the request is for " + identity);
        }
        try {
            return new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot read the public key of the CSR for " + identity, e);
        }
    }

    private static List<String> requestedUris(PKCS10CertificationRequest csr) {
        List<String> uris = new ArrayList<>();
        Extensions requested = csr.getRequestedExtensions();
        GeneralNames names = requested == null ? null : GeneralNames.fromExtensions(requested,
                Extension.subjectAlternativeName);
        if (names != null) {
            for (GeneralName name : names.getNames()) {
                if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    uris.add(ASN1IA5String.getInstance(name.getName()).getString());
                }
            }
        }
        return uris;
    }
}

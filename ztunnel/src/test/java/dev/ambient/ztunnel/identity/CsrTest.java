package dev.ambient.ztunnel.identity;

import static dev.ambient.ztunnel.identity.TestCertificates.ALICE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrTest {

    @Test
    void requestsOneCriticalUriSanForAFreshP256Key() throws Exception {
        Csr csr = Csr.generate(ALICE);
        assertTrue(csr.pem().startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new StringReader(csr.pem()))) {
            request = (PKCS10CertificationRequest) parser.readObject();
        }
        assertTrue(request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(request.getSubjectPublicKeyInfo())));
        assertArrayEquals(csr.keyPair().getPublic().getEncoded(), request.getSubjectPublicKeyInfo().getEncoded());
        assertEquals(256, ((ECPublicKey) csr.keyPair().getPublic()).getParams().getCurve().getField().getFieldSize());

        Extension san = request.getRequestedExtensions().getExtension(Extension.subjectAlternativeName);
        assertTrue(san.isCritical());
        GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
        assertEquals(1, names.length);
        assertEquals(GeneralName.uniformResourceIdentifier, names[0].getTagNo());
        assertEquals(ALICE.toString(), names[0].getName().toString());
    }

    @Test
    void everyRequestHasItsOwnKeyAndHidesItInToString() {
        Csr first = Csr.generate(ALICE);
        Csr second = Csr.generate(ALICE);
        assertFalse(first.keyPair().getPublic().equals(second.keyPair().getPublic()));
        assertEquals("Csr{" + ALICE + "}", first.toString());
    }
}

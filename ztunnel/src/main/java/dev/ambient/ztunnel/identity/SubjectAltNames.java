package dev.ambient.ztunnel.identity;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Extracts the SPIFFE ID of an X.509-SVID. The raw subjectAltName extension is decoded here
 * rather than through {@link X509Certificate#getSubjectAlternativeNames()} because the JDK
 * silently drops a non-critical SAN extension it cannot parse (for example one with a NUL in a
 * URI) and would then report "no SAN" instead of the real problem; decoding the bytes ourselves
 * sees every entry exactly as the peer sent it.
 */
public final class SubjectAltNames {

    private SubjectAltNames() {
    }

    /**
     * The SPIFFE ID of {@code certificate}: its only URI SAN, parsed strictly.
     *
     * @throws SvidException if there is no URI SAN or more than one (whatever their schemes), if
     *                       any SAN holds a NUL byte, or if the URI is not a valid SPIFFE ID
     */
    public static SpiffeId spiffeId(X509Certificate certificate) throws SvidException {
        Objects.requireNonNull(certificate, "certificate");
        byte[] raw = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (raw == null) {
            throw new SvidException("certificate has no subjectAltName extension; an X.509-SVID carries"
                    + " exactly one spiffe:// URI SAN: " + subjectOf(certificate));
        }
        GeneralNames names;
        try {
            names = GeneralNames.getInstance(JcaX509ExtensionUtils.parseExtensionValue(raw));
        } catch (IOException | RuntimeException e) {
            throw new SvidException("subjectAltName extension is malformed: " + subjectOf(certificate), e);
        }
        List<String> uris = new ArrayList<>();
        boolean spiffeInDns = false;
        for (GeneralName name : names.getNames()) {
            int tag = name.getTagNo();
            if (tag != GeneralName.uniformResourceIdentifier && tag != GeneralName.dNSName
                    && tag != GeneralName.rfc822Name) {
                continue;
            }
            String value = ASN1IA5String.getInstance(name.getName()).getString();
            if (value.indexOf('\0') >= 0) {
                throw new SvidException("a subjectAltName contains a NUL byte, "
                        + InvalidSpiffeIdException.quote(value) + ": " + subjectOf(certificate));
            }
            if (tag == GeneralName.uniformResourceIdentifier) {
                uris.add(value);
            } else if (tag == GeneralName.dNSName && value.regionMatches(true, 0, "spiffe:", 0, 7)) {
                spiffeInDns = true;
            }
        }
        if (uris.isEmpty()) {
            throw new SvidException("certificate has no URI SAN; an X.509-SVID carries exactly one spiffe:// URI SAN"
                    + (spiffeInDns ? " (a spiffe:// name in a DNS SAN does not count)" : "")
                    + ": " + subjectOf(certificate));
        }
        if (uris.size() > 1) {
            throw new SvidException("certificate has " + uris.size() + " URI SANs "
                    + uris.stream().map(InvalidSpiffeIdException::quote).collect(Collectors.joining(", ", "[", "]"))
                    + "; an X.509-SVID must carry exactly one: " + subjectOf(certificate));
        }
        try {
            return SpiffeId.parse(uris.get(0));
        } catch (InvalidSpiffeIdException e) {
            throw new SvidException("URI SAN is not a valid SPIFFE ID: " + e.getMessage(), e);
        }
    }

    /** The subject for messages; SVIDs often have an empty one, which would print as nothing. */
    static String subjectOf(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        return subject.isEmpty()
                ? "(empty subject, serial " + certificate.getSerialNumber().toString(16) + ")"
                : subject;
    }
}

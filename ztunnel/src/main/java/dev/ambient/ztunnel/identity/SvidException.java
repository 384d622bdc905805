package dev.ambient.ztunnel.identity;

import java.security.cert.CertificateException;

/**
 * A certificate chain is not a valid X.509-SVID for this node. A {@link CertificateException} so
 * that trust managers can throw it straight into the TLS stack, which turns it into a handshake
 * failure; the message says which rule failed and for which certificate.
 */
public final class SvidException extends CertificateException {

    public SvidException(String message) {
        super(message);
    }

    public SvidException(String message, Throwable cause) {
        super(message, cause);
    }
}

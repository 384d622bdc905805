package dev.ambient.ztunnel.ca;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SpiffeTrustManager;
import dev.ambient.ztunnel.identity.SvidException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server only if it presents a valid SVID of the trust bundle with exactly one expected
 * SPIFFE ID: how a node agent knows it talks to the mesh's CA and not to some other workload.
 * Host names play no part, as with every SVID.
 */
final class ExpectedPeer extends X509ExtendedTrustManager {

    private final SpiffeTrustManager chains;
    private final SpiffeId expected;

    ExpectedPeer(SpiffeTrustManager chains, SpiffeId expected) {
        this.chains = chains;
        this.expected = expected;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        SpiffeId peer;
        try {
            peer = chains.verify(chain);
        } catch (SvidException e) {
            throw new CertificateException("the CA's certificate is not a valid SVID: " + e.getMessage(), e);
        }
        if (!peer.equals(expected)) {
            throw new CertificateException("the server is " + peer + ", not the CA " + expected);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a CA client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

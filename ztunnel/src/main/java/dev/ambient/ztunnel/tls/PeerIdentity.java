package dev.ambient.ztunnel.tls;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SubjectAltNames;
import dev.ambient.ztunnel.identity.SvidException;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The SPIFFE ID of the peer of an established mesh TLS session. The handshake already verified
 * the chain; this reads the identity back from the leaf with the same strict rules, so callers
 * (authorization, the HBONE client's expected-identity check) never parse SANs themselves.
 */
public final class PeerIdentity {

    private PeerIdentity() {
    }

    /**
     * @throws SSLPeerUnverifiedException if the peer sent no certificate or its leaf does not
     *                                    carry exactly one valid SPIFFE ID
     */
    public static SpiffeId of(SSLSession session) throws SSLPeerUnverifiedException {
        Objects.requireNonNull(session, "session");
        Certificate[] certificates = session.getPeerCertificates();
        if (certificates.length == 0 || !(certificates[0] instanceof X509Certificate leaf)) {
            throw new SSLPeerUnverifiedException("peer presented no X.509 certificate");
        }
        try {
            return SubjectAltNames.spiffeId(leaf);
        } catch (SvidException e) {
            SSLPeerUnverifiedException failure = new SSLPeerUnverifiedException("peer has no usable SPIFFE ID: "
                    + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    /** As {@link #of(SSLSession)} for the session of a handshaken {@link SslHandler}. */
    public static SpiffeId of(SslHandler handler) throws SSLPeerUnverifiedException {
        return of(Objects.requireNonNull(handler, "handler").engine().getSession());
    }

    /**
     * The peer's identity if it is one of {@code expected}: a client must check this before it
     * sends a byte, since a valid certificate of the wrong workload passes the handshake.
     *
     * @throws SSLPeerUnverifiedException naming the identity found and the ones expected
     */
    public static SpiffeId expect(SSLSession session, Collection<SpiffeId> expected)
            throws SSLPeerUnverifiedException {
        SpiffeId peer = of(session);
        if (!expected.contains(peer)) {
            throw new SSLPeerUnverifiedException("peer identity " + peer + " is not an expected identity "
                    + expected + "; refusing to send data");
        }
        return peer;
    }
}

package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.tls.PeerIdentity;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.Optional;

/**
 * What a finished TLS handshake proved, checked the same way on both ends of HBONE: the handshake
 * succeeded (the SVID verifier already ran inside it), ALPN chose h2, and the peer has a SPIFFE ID.
 *
 * @param peer the peer's identity when everything holds
 * @param failure why not, for the log and the caller's error, when it does not
 */
record HandshakeOutcome(Optional<SpiffeId> peer, String failure) {

    static HandshakeOutcome of(SslHandshakeCompletionEvent done, SslHandler ssl) {
        if (!done.isSuccess()) {
            return failed("TLS handshake failed: " + rootMessage(done.cause()));
        }
        if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
            return failed("ALPN did not select h2 (got " + ssl.applicationProtocol() + "); is it an HBONE endpoint?");
        }
        try {
            return new HandshakeOutcome(Optional.of(PeerIdentity.of(ssl)), "");
        } catch (Exception e) {
            return failed("the peer presented no usable identity: " + e.getMessage());
        }
    }

    private static HandshakeOutcome failed(String why) {
        return new HandshakeOutcome(Optional.empty(), why);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}

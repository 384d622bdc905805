package dev.ambient.ztunnel.identity;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of every mesh TLS context: both directions accept exactly what
 * {@link SvidVerifier} accepts, and nothing of the JDK's default (hostname) checks applies,
 * because SVIDs name workloads, not hosts. The bundle can be swapped at runtime; since TLS
 * contexts keep a reference to this object, a root removed here fails the very next handshake
 * without rebuilding any context.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {

    private final AtomicReference<SvidVerifier> verifier;

    public SpiffeTrustManager(SvidVerifier verifier) {
        this.verifier = new AtomicReference<>(Objects.requireNonNull(verifier, "verifier"));
    }

    /** Replaces the trusted roots; handshakes that start afterwards use the new bundle. */
    public void updateBundle(TrustBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        verifier.updateAndGet(current -> current.withBundle(bundle));
    }

    /** The verifier handshakes use now. */
    public SvidVerifier verifier() {
        return verifier.get();
    }

    /** Verifies a chain outside of a handshake, as a handshake would. */
    public SpiffeId verify(X509Certificate[] chain) throws SvidException {
        return verifier.get().verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    /** The roots of every trust domain, which a server advertises as acceptable client CAs. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.get().bundle().allRoots().toArray(X509Certificate[]::new);
    }
}

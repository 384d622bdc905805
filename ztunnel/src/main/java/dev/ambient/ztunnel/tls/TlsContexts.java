package dev.ambient.ztunnel.tls;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SpiffeTrustManager;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;

/**
 * Builds and caches the Netty TLS contexts of mesh (HBONE) connections: TLS 1.3 only, mutual
 * authentication with SPIFFE verification on both sides, ALPN {@code h2}, BoringSSL through
 * netty-tcnative (several times faster per handshake than the JDK provider). Contexts are cached
 * per identity and rebuilt when the {@link WorkloadCertificate} instance changes, i.e. after a
 * renewal.
 *
 * <p>Create handlers with {@code context.newHandler(alloc)} only: passing a peer host and port
 * would enable client session resumption and SNI, neither of which HBONE uses.
 */
public final class TlsContexts {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3");
    public static final List<String> CIPHERS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");

    private static final System.Logger LOG = System.getLogger(TlsContexts.class.getName());
    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(Protocol.ALPN,
            // The only failure behaviours BoringSSL supports: a peer without h2 fails in the HTTP/2 layer.
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);

    private final SpiffeTrustManager trustManager;
    private final ConcurrentMap<SpiffeId, Built> servers = new ConcurrentHashMap<>();
    private final ConcurrentMap<SpiffeId, Built> clients = new ConcurrentHashMap<>();

    /**
     * @param trustManager verifies peers in both directions; swapping its bundle takes effect
     *                     for the next handshake of every cached context
     * @throws IllegalStateException if BoringSSL (netty-tcnative) cannot be loaded
     */
    public TlsContexts(SpiffeTrustManager trustManager) {
        this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
        requireOpenSsl();
    }

    /**
     * Fails unless netty-tcnative's BoringSSL is usable; the mesh does not fall back to the JDK
     * provider silently because its handshake cost changes capacity planning.
     */
    public static void requireOpenSsl() {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new IllegalStateException("BoringSSL (netty-tcnative-boringssl-static) is not available: "
                    + (cause == null ? "unknown reason" : cause) + "; check that the linux-x86_64 native jar is on"
                    + " the class path and that the JVM runs with --enable-native-access=ALL-UNNAMED", cause);
        }
    }

    public SpiffeTrustManager trustManager() {
        return trustManager;
    }

    /** The context accepting HBONE connections for {@code certificate}'s identity. */
    public SslContext server(WorkloadCertificate certificate) throws SSLException {
        return cached(servers, certificate, true);
    }

    /** The context opening HBONE connections as {@code certificate}'s identity. */
    public SslContext client(WorkloadCertificate certificate) throws SSLException {
        return cached(clients, certificate, false);
    }

    /**
     * Builds both contexts for a new certificate ahead of the next connection; suitable as a
     * {@code CertificateManager} listener. Failures are logged; the next use retries them.
     */
    public void prepare(WorkloadCertificate certificate) {
        try {
            server(certificate);
            client(certificate);
        } catch (SSLException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot build TLS contexts for " + certificate.identity(), e);
        }
    }

    /** Drops contexts of identities no longer served. */
    public void retainOnly(Set<SpiffeId> identities) {
        Set<SpiffeId> keep = Set.copyOf(identities);
        servers.keySet().retainAll(keep);
        clients.keySet().retainAll(keep);
    }

    private SslContext cached(ConcurrentMap<SpiffeId, Built> cache, WorkloadCertificate certificate, boolean server)
            throws SSLException {
        Objects.requireNonNull(certificate, "certificate");
        Built built = cache.get(certificate.identity());
        // Identity, not equality: a renewed certificate is a new instance and needs a new context.
        if (built != null && built.certificate == certificate) {
            return built.context;
        }
        SslContext context = server ? buildServer(certificate) : buildClient(certificate);
        cache.put(certificate.identity(), new Built(certificate, context));
        return context;
    }

    private SslContext buildServer(WorkloadCertificate certificate) throws SSLException {
        return common(SslContextBuilder.forServer(certificate.key(), chain(certificate)))
                .clientAuth(ClientAuth.REQUIRE)
                .build();
    }

    private SslContext buildClient(WorkloadCertificate certificate) throws SSLException {
        return common(SslContextBuilder.forClient().keyManager(certificate.key(), chain(certificate)))
                // SVIDs carry no DNS name; the peer's SPIFFE ID is checked instead.
                .endpointIdentificationAlgorithm(null)
                .build();
    }

    private SslContextBuilder common(SslContextBuilder builder) {
        return builder.sslProvider(SslProvider.OPENSSL)
                .trustManager(trustManager)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS)
                .applicationProtocolConfig(ALPN);
    }

    private static X509Certificate[] chain(WorkloadCertificate certificate) {
        return certificate.chain().toArray(X509Certificate[]::new);
    }

    private record Built(WorkloadCertificate certificate, SslContext context) {
    }
}

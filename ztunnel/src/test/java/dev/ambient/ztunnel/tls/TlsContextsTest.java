package dev.ambient.ztunnel.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.CaException;
import dev.ambient.ztunnel.identity.Csr;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SpiffeTrustManager;
import dev.ambient.ztunnel.identity.SvidVerifier;
import dev.ambient.ztunnel.identity.TrustBundle;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** Real BoringSSL mTLS handshakes between contexts built by {@link TlsContexts}. */
class TlsContextsTest {

    private static final String TRUST_DOMAIN = "cluster.local";
    private static final Clock CLOCK = Clock.systemUTC();
    private static final EmbeddedCa CA = EmbeddedCa.generate(TRUST_DOMAIN, CLOCK);
    private static final SpiffeId ALICE = SpiffeId.of(TRUST_DOMAIN, "default", "alice");
    private static final SpiffeId BOB = SpiffeId.of(TRUST_DOMAIN, "default", "bob");
    private static final SpiffeId CAROL = SpiffeId.of(TRUST_DOMAIN, "default", "carol");
    private static final WorkloadCertificate ALICE_CERT = issue(CA, ALICE);
    private static final WorkloadCertificate BOB_CERT = issue(CA, BOB);

    private final SpiffeTrustManager trustManager = new SpiffeTrustManager(
            new SvidVerifier(CA.bundle(), Set.of(TRUST_DOMAIN), CLOCK));
    private final TlsContexts contexts = new TlsContexts(trustManager);

    @Test
    void mutualHandshakeUsesTls13AndH2AndYieldsBothIdentities() throws Exception {
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(contexts.client(ALICE_CERT), contexts.server(BOB_CERT))) {
            assertHandshakeSucceeded(pair);
            SSLSession clientSession = pair.clientHandler().engine().getSession();
            assertEquals("TLSv1.3", clientSession.getProtocol());
            assertTrue(TlsContexts.CIPHERS.contains(clientSession.getCipherSuite()), clientSession.getCipherSuite());
            assertEquals("h2", pair.clientHandler().applicationProtocol());
            assertEquals("h2", pair.serverHandler().applicationProtocol());

            assertEquals(ALICE, PeerIdentity.of(pair.serverHandler()));
            assertEquals(BOB, PeerIdentity.of(pair.clientHandler()));
            assertEquals(BOB, PeerIdentity.expect(clientSession, Set.of(BOB, CAROL)));
        }
    }

    @Test
    void clientCertificateFromAnotherRootFailsTheHandshake() throws Exception {
        EmbeddedCa impostor = EmbeddedCa.generate(TRUST_DOMAIN, CLOCK);
        WorkloadCertificate forged = issue(impostor, ALICE);
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(contexts.client(forged), contexts.server(BOB_CERT))) {
            assertFalse(pair.serverHandler().handshakeFuture().isSuccess());
            assertCauseMentions(pair.serverHandler().handshakeFuture().cause(),
                    "does not lead to a trusted root of trust domain 'cluster.local'");
            assertFalse(pair.serverOpen());
            assertFalse(pair.clientOpen(), "the client learns of the failure and closes");
        }
    }

    @Test
    void serverCertificateFromAnotherRootFailsTheHandshake() throws Exception {
        WorkloadCertificate forged = issue(EmbeddedCa.generate(TRUST_DOMAIN, CLOCK), BOB);
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(contexts.client(ALICE_CERT), contexts.server(forged))) {
            assertFalse(pair.clientHandler().handshakeFuture().isSuccess());
            assertCauseMentions(pair.clientHandler().handshakeFuture().cause(), "does not lead to a trusted root");
            assertFalse(pair.serverHandler().handshakeFuture().isSuccess());
        }
    }

    // RELIABILITY item 11: the chain is valid, the workload is not the one the client wants.
    @Test
    void clientRefusesAValidServerOfTheWrongIdentity() throws Exception {
        WorkloadCertificate carol = issue(CA, CAROL);
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(contexts.client(ALICE_CERT), contexts.server(carol))) {
            assertHandshakeSucceeded(pair);
            SSLSession session = pair.clientHandler().engine().getSession();
            SSLPeerUnverifiedException e = assertThrows(SSLPeerUnverifiedException.class,
                    () -> PeerIdentity.expect(session, Set.of(BOB)));
            assertTrue(e.getMessage().contains("peer identity " + CAROL + " is not an expected identity"),
                    e.getMessage());
        }
    }

    // RELIABILITY item 12, with the cached contexts that live connections would use.
    @Test
    void removingTheCaFromTheBundleFailsNewHandshakes() throws Exception {
        SslContext client = contexts.client(ALICE_CERT);
        SslContext server = contexts.server(BOB_CERT);
        try (EmbeddedTlsPair before = EmbeddedTlsPair.handshake(client, server)) {
            assertHandshakeSucceeded(before);
        }
        trustManager.updateBundle(TrustBundle.of(TRUST_DOMAIN, List.of()));
        assertSame(client, contexts.client(ALICE_CERT));
        try (EmbeddedTlsPair after = EmbeddedTlsPair.handshake(client, server)) {
            assertFalse(after.clientHandler().handshakeFuture().isSuccess());
            assertFalse(after.serverHandler().handshakeFuture().isSuccess());
            assertCauseMentions(after.clientHandler().handshakeFuture().cause(), "no trusted roots");
        }
    }

    // A resumed session skips the trust manager, so resumption would outlive a removed CA.
    @Test
    void aRemovedCaFailsEvenAClientThatOffersResumption() throws Exception {
        SslContext client = contexts.client(ALICE_CERT);
        SslContext server = contexts.server(BOB_CERT);
        try (EmbeddedTlsPair first = EmbeddedTlsPair.handshake(resumable(client), server.newHandler(
                ByteBufAllocator.DEFAULT))) {
            assertHandshakeSucceeded(first);
        }
        trustManager.updateBundle(TrustBundle.of(TRUST_DOMAIN, List.of()));
        try (EmbeddedTlsPair second = EmbeddedTlsPair.handshake(resumable(client), server.newHandler(
                ByteBufAllocator.DEFAULT))) {
            assertFalse(second.serverHandler().handshakeFuture().isSuccess(), "the session was resumed");
            assertFalse(second.clientHandler().handshakeFuture().isSuccess(), "the session was resumed");
        }
    }

    /** A handler with a peer address, which lets the client cache and offer its session. */
    private static SslHandler resumable(SslContext client) {
        return client.newHandler(ByteBufAllocator.DEFAULT, "10.0.0.2", 15008);
    }

    @Test
    void serverRequiresAClientCertificate() throws Exception {
        SslContext anonymous = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3").build();
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(anonymous, contexts.server(BOB_CERT))) {
            assertFalse(pair.serverHandler().handshakeFuture().isSuccess());
            assertFalse(pair.serverOpen());
        }
    }

    @Test
    void serverRefusesTls12() throws Exception {
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .keyManager(ALICE_CERT.key(), ALICE_CERT.leaf())
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.2").build();
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(tls12, contexts.server(BOB_CERT))) {
            assertFalse(pair.serverHandler().handshakeFuture().isSuccess());
            assertFalse(pair.clientHandler().handshakeFuture().isSuccess());
        }
    }

    @Test
    void contextsAreCachedUntilTheCertificateInstanceChanges() throws Exception {
        SslContext server = contexts.server(ALICE_CERT);
        SslContext client = contexts.client(ALICE_CERT);
        assertSame(server, contexts.server(ALICE_CERT));
        assertSame(client, contexts.client(ALICE_CERT));

        WorkloadCertificate renewed = issue(CA, ALICE);
        SslContext renewedServer = contexts.server(renewed);
        assertNotSame(server, renewedServer);
        assertNotSame(client, contexts.client(renewed));
        assertSame(renewedServer, contexts.server(renewed));

        contexts.retainOnly(Set.of());
        assertNotSame(renewedServer, contexts.server(renewed), "forgotten identities are rebuilt");
    }

    @Test
    void renewedCertificateIsPresentedAfterRebuild() throws Exception {
        WorkloadCertificate renewed = issue(CA, BOB);
        contexts.prepare(BOB_CERT);
        contexts.prepare(renewed);
        try (EmbeddedTlsPair pair = EmbeddedTlsPair.handshake(contexts.client(ALICE_CERT), contexts.server(renewed))) {
            assertHandshakeSucceeded(pair);
            assertEquals(renewed.leaf(), pair.clientHandler().engine().getSession().getPeerCertificates()[0]);
        }
    }

    private static void assertHandshakeSucceeded(EmbeddedTlsPair pair) {
        assertTrue(pair.clientHandler().handshakeFuture().isSuccess(),
                () -> "client handshake: " + pair.clientHandler().handshakeFuture().cause() + " " + pair.pipelineErrors());
        assertTrue(pair.serverHandler().handshakeFuture().isSuccess(),
                () -> "server handshake: " + pair.serverHandler().handshakeFuture().cause() + " " + pair.pipelineErrors());
    }

    private static void assertCauseMentions(Throwable failure, String text) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
            if (String.valueOf(t.getMessage()).contains(text)) {
                return;
            }
        }
        throw new AssertionError("expected '" + text + "' in the cause chain:\n" + chain);
    }

    private static WorkloadCertificate issue(EmbeddedCa ca, SpiffeId identity) {
        KeyPair keyPair = Csr.newKeyPair();
        try {
            return new WorkloadCertificate(identity, keyPair.getPrivate(),
                    List.of(ca.issueFor(identity, keyPair.getPublic(), Duration.ofHours(1))), List.of(ca.root()));
        } catch (CaException e) {
            throw new IllegalStateException(e);
        }
    }
}

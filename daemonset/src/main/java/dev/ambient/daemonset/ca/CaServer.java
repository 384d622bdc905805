package dev.ambient.daemonset.ca;

import dev.ambient.ztunnel.identity.CaException;
import dev.ambient.ztunnel.identity.Csr;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.SpiffeId;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The CA as a gRPC server: {@link CaService} behind TLS, where the server proves itself with an SVID
 * of its own ({@code identity}, issued by the root it signs with) so that agents can check they talk
 * to the CA and nothing else.
 */
public final class CaServer implements AutoCloseable {

    /** The CA's own serving certificate lives as long as this; it is issued afresh at every start. */
    static final Duration SERVING_VALIDITY = Duration.ofDays(30);

    private final Server server;

    private CaServer(Server server) {
        this.server = server;
    }

    public static CaServer start(InetSocketAddress bind, EmbeddedCa ca, SpiffeId identity, TokenReviewer reviewer,
            IdentityPolicy policy) throws IOException, CaException {
        KeyPair key = Csr.newKeyPair();
        X509Certificate serving = ca.issueFor(identity, key.getPublic(), SERVING_VALIDITY);
        Server server = NettyServerBuilder.forAddress(bind)
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(key.getPrivate(), serving, ca.root()))
                        .build())
                .addService(ServerInterceptors.intercept(new CaService(ca, reviewer, policy), CaService.bearerTokens()))
                .build().start();
        return new CaServer(server);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

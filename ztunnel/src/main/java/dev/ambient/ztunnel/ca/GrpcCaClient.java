package dev.ambient.ztunnel.ca;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.ambient.ztunnel.ca.api.IstioCertificateRequest;
import dev.ambient.ztunnel.ca.api.IstioCertificateResponse;
import dev.ambient.ztunnel.ca.api.IstioCertificateServiceGrpc;
import dev.ambient.ztunnel.identity.CaClient;
import dev.ambient.ztunnel.identity.CaException;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SpiffeTrustManager;
import dev.ambient.ztunnel.identity.SvidVerifier;
import dev.ambient.ztunnel.identity.TrustBundle;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.MetadataUtils;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A {@link CaClient} for a remote CA speaking Istio's {@code IstioCertificateService} over TLS:
 * the CA is known by its own SVID ({@code caIdentity}, chained to the trust bundle), the caller by
 * its service-account token (read afresh for every call, as the kubelet rotates it), and each CSR
 * asks for a pod's identity as {@code ImpersonatedIdentity}. The chain that comes back is checked
 * before it is used: its leaf must carry exactly the identity asked for and chain to the bundle.
 * Renewal, backoff and keeping the valid certificate through an outage are the
 * {@code CertificateManager}'s, as with the embedded CA.
 */
public final class GrpcCaClient implements CaClient, AutoCloseable {

    /** The request metadata field naming the pod identity a node agent asks for. */
    public static final String IMPERSONATED_IDENTITY = "ImpersonatedIdentity";

    private final ManagedChannel channel;
    private final Supplier<String> token;
    private final SvidVerifier verifier;
    private final Duration timeout;
    private final Executor executor;

    /**
     * @param target the CA's address, {@code host:port}
     * @param executor where answers are checked (not a data-path thread)
     */
    public GrpcCaClient(String target, TrustBundle bundle, SpiffeId caIdentity, Supplier<String> token,
            Duration timeout, Executor executor) {
        this.verifier = new SvidVerifier(bundle, Set.of(caIdentity.trustDomain()), Clock.systemUTC());
        this.token = token;
        this.timeout = timeout;
        this.executor = executor;
        SslContext tls;
        try {
            tls = GrpcSslContexts.forClient()
                    .trustManager(new ExpectedPeer(new SpiffeTrustManager(verifier), caIdentity)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to the CA at " + target + ": " + e.getMessage(), e);
        }
        this.channel = NettyChannelBuilder.forTarget(target).sslContext(tls).build();
    }

    @Override
    public CompletableFuture<List<X509Certificate>> sign(SpiffeId identity, String csrPem, Duration validity) {
        CompletableFuture<List<X509Certificate>> result = new CompletableFuture<>();
        String bearer;
        try {
            bearer = token.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new CaException("cannot read the service-account token for the CA: "
                    + e.getMessage(), e));
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearer);
        IstioCertificateRequest request = IstioCertificateRequest.newBuilder().setCsr(csrPem)
                .setValidityDuration(validity.toSeconds())
                .setMetadata(Struct.newBuilder().putFields(IMPERSONATED_IDENTITY,
                        Value.newBuilder().setStringValue(identity.toString()).build()))
                .build();
        var stub = IstioCertificateServiceGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        var call = stub.createCertificate(request);
        call.addListener(() -> {
            try {
                result.complete(checked(identity, call.get()));
            } catch (java.util.concurrent.ExecutionException e) {
                result.completeExceptionally(failure(identity, e.getCause()));
            } catch (CaException e) {
                result.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            }
        }, executor);
        return result;
    }

    private List<X509Certificate> checked(SpiffeId identity, IstioCertificateResponse response) throws CaException {
        try {
            List<X509Certificate> chain = Pem.decodeCertificates(String.join("\n", response.getCertChainList()));
            if (chain.isEmpty()) {
                throw new CaException("the CA answered no certificate for " + identity);
            }
            SpiffeId leaf = verifier.verify(chain.toArray(X509Certificate[]::new));
            if (!leaf.equals(identity)) {
                throw new CaException("the CA returned a certificate for " + leaf + " when " + identity + " was asked");
            }
            return chain;
        } catch (CertificateException e) {
            throw new CaException("the CA's answer for " + identity + " is not a usable chain: " + e.getMessage(), e);
        }
    }

    private static CaException failure(SpiffeId identity, Throwable cause) {
        if (cause instanceof StatusRuntimeException s) {
            return new CaException("the CA refused " + identity + ": " + s.getStatus().getCode() + " "
                    + s.getStatus().getDescription(), s);
        }
        return new CaException("the CA call for " + identity + " failed: " + cause, cause);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}

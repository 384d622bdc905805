package dev.ambient.daemonset.ca;

import dev.ambient.ztunnel.ca.GrpcCaClient;
import dev.ambient.ztunnel.ca.api.IstioCertificateRequest;
import dev.ambient.ztunnel.ca.api.IstioCertificateResponse;
import dev.ambient.ztunnel.ca.api.IstioCertificateServiceGrpc;
import dev.ambient.ztunnel.identity.CaClient;
import dev.ambient.ztunnel.identity.Pem;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Istio's {@code IstioCertificateService/CreateCertificate}: the caller is who its bearer token says
 * (a TokenReview), the identity signed is what {@link IdentityPolicy} grants it, and the CSR must ask
 * for exactly that identity. Each refusal carries a gRPC status an operator can act on:
 * UNAUTHENTICATED (no or bad token), PERMISSION_DENIED (identity not granted), INVALID_ARGUMENT (the
 * CSR does not match).
 */
public final class CaService extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {

    private static final Logger LOG = System.getLogger(CaService.class.getName());

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("bearer-token");

    /** The longest certificate the CA hands out, whatever is asked. */
    public static final Duration MAX_VALIDITY = Duration.ofHours(24);

    private final CaClient signer;
    private final TokenReviewer reviewer;
    private final IdentityPolicy policy;

    public CaService(CaClient signer, TokenReviewer reviewer, IdentityPolicy policy) {
        this.signer = signer;
        this.reviewer = reviewer;
        this.policy = policy;
    }

    /** Puts the request's bearer token where the service reads it. */
    public static ServerInterceptor bearerTokens() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String value = headers.get(AUTHORIZATION);
                String token = value != null && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip()
                        : "";
                return Contexts.interceptCall(Context.current().withValue(TOKEN, token), call, headers, next);
            }
        };
    }

    @Override
    public void createCertificate(IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> out) {
        String token = TOKEN.get();
        if (token == null || token.isEmpty()) {
            refuse(out, Status.UNAUTHENTICATED, "no bearer token: send the caller's service-account token as "
                    + "\"authorization: Bearer <token>\"");
            return;
        }
        Optional<Caller> caller;
        try {
            caller = reviewer.review(token);
        } catch (RuntimeException e) {
            refuse(out, Status.UNAVAILABLE, "cannot review the token with the API server: " + e.getMessage());
            return;
        }
        if (caller.isEmpty()) {
            refuse(out, Status.UNAUTHENTICATED, "the API server did not accept the caller's token");
            return;
        }
        Optional<String> impersonated = Optional.ofNullable(request.getMetadata().getFieldsMap()
                .get(GrpcCaClient.IMPERSONATED_IDENTITY)).map(v -> v.getStringValue());
        IdentityPolicy.Verdict verdict = policy.decide(caller.get(), impersonated);
        if (verdict instanceof IdentityPolicy.Refuse r) {
            refuse(out, Status.PERMISSION_DENIED, r.reason());
            return;
        }
        IdentityPolicy.Grant grant = (IdentityPolicy.Grant) verdict;
        Duration asked = request.getValidityDuration() > 0 ? Duration.ofSeconds(request.getValidityDuration())
                : MAX_VALIDITY;
        Duration validity = asked.compareTo(MAX_VALIDITY) > 0 ? MAX_VALIDITY : asked;
        List<X509Certificate> chain;
        try {
            chain = signer.sign(grant.identity(), request.getCsr(), validity).join();
        } catch (CompletionException e) {
            String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            refuse(out, Status.INVALID_ARGUMENT, "the CSR cannot be signed for " + grant.identity() + ": " + why);
            return;
        }
        IstioCertificateResponse.Builder response = IstioCertificateResponse.newBuilder();
        chain.forEach(c -> response.addCertChain(Pem.encode(c)));
        LOG.log(Level.INFO, "signed " + grant.identity() + " for " + caller.get().key()
                + caller.get().node().map(n -> " on node " + n).orElse("") + ", valid " + validity);
        out.onNext(response.build());
        out.onCompleted();
    }

    private static void refuse(StreamObserver<IstioCertificateResponse> out, Status status, String why) {
        LOG.log(Level.WARNING, "refused a certificate: " + why);
        out.onError(status.withDescription(why).asRuntimeException());
    }
}

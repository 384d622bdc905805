package dev.ambient.ztunnel.identity;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a certificate authority to sign a workload's CSR, Istio's {@code CreateCertificate} in
 * spirit. Asynchronous because the CA is usually remote and certificate renewal must never
 * block a data-path thread.
 */
public interface CaClient {

    /**
     * Requests a certificate for {@code identity}.
     *
     * @param identity the identity asked for; the CSR's only URI SAN must equal it
     * @param csrPem   a PEM PKCS#10 certificate request
     * @param validity the lifetime asked for; a CA may grant less
     * @return the chain, leaf first and root last. On failure (CA unreachable, request refused,
     *         bad response) the future completes exceptionally with a message for the operator;
     *         it never completes with {@code null}. A failure is not fatal to the caller: it keeps
     *         using its current certificate while that is valid and asks again later.
     */
    CompletableFuture<List<X509Certificate>> sign(SpiffeId identity, String csrPem, Duration validity);
}

package dev.ambient.daemonset.incluster;

import dev.ambient.ztunnel.ca.GrpcCaClient;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.TrustBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The CA service as a proxy's certificate source: the trust root from a file (mounted from the CA's
 * ConfigMap), the caller's service-account token from another (read at each call, since the kubelet
 * rotates it). Both are read once when connecting, so a root or token that cannot be read stops the
 * process with the file's name before it starts anything; callers connect first for that reason.
 *
 * @param client the gRPC client the certificate manager calls
 * @param bundle the trust root every peer chains to
 */
public record RemoteCa(GrpcCaClient client, TrustBundle bundle) {

    public static RemoteCa connect(KubernetesSettings s) {
        return connect(s.trustDomain(), s.caAddress(), s.caRoot(), s.tokenFile(), s.caIdentity());
    }

    public static RemoteCa connect(String trustDomain, String caAddress, Path rootFile, Path tokenFile,
            SpiffeId caIdentity) {
        TrustBundle bundle;
        try {
            bundle = TrustBundle.of(trustDomain, Pem.decodeCertificates(Files.readString(rootFile)));
        } catch (IOException | CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the CA root " + rootFile + ": " + e.getMessage(), e);
        }
        readToken(tokenFile);
        GrpcCaClient client = new GrpcCaClient(caAddress, bundle, caIdentity, () -> readToken(tokenFile),
                Duration.ofSeconds(10), Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "ca-client");
                    t.setDaemon(true);
                    return t;
                }));
        return new RemoteCa(client, bundle);
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }
}

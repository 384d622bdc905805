package dev.ambient.daemonset.agent;

import dev.ambient.ztunnel.ca.GrpcCaClient;
import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.config.ZtunnelConfig;
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
 * A node agent whose certificates come from the CA service ({@code --ca-address}) rather than a root
 * on the node: the trust root from {@code --ca-root}, the token from {@code --token-file} (read at each
 * call, since the kubelet rotates it). A root or token that cannot be read stops the agent with the
 * file's name, before anything is captured.
 */
final class RemoteCa {

    private RemoteCa() {}

    static NodeAgent startAgent(ZtunnelConfig config, Path pinRoot, Duration podDrain, Flags flags) {
        Path rootFile = Path.of(flags.require("ca-root"));
        Path tokenFile = Path.of(flags.require("token-file"));
        String[] caId = flags.get("ca-identity").orElse("ambient-system/ambient-ca").split("/");
        if (!flags.errors().isEmpty() || caId.length != 2) {
            throw new IllegalArgumentException("--ca-address needs --ca-root FILE and --token-file FILE, and "
                    + "--ca-identity is namespace/service-account: " + flags.errors());
        }
        return startAgent(config, pinRoot, podDrain, flags.require("ca-address"), rootFile, tokenFile,
                SpiffeId.of(config.trustDomain(), caId[0], caId[1]));
    }

    static NodeAgent startAgent(ZtunnelConfig config, Path pinRoot, Duration podDrain, String caAddress,
            Path rootFile, Path tokenFile, SpiffeId caIdentity) {
        TrustBundle bundle;
        try {
            bundle = TrustBundle.of(config.trustDomain(), Pem.decodeCertificates(Files.readString(rootFile)));
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read the CA root " + rootFile + ": " + e.getMessage(), e);
        }
        readToken(tokenFile); // fail now, with the path, rather than at the first certificate
        GrpcCaClient ca = new GrpcCaClient(caAddress, bundle, caIdentity, () -> readToken(tokenFile),
                Duration.ofSeconds(10), Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "ca-client");
                    t.setDaemon(true);
                    return t;
                }));
        return NodeAgent.start(config, pinRoot, podDrain, ca, bundle);
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

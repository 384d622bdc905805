package dev.ambient.daemonset.ca;

import dev.ambient.ztunnel.identity.SpiffeId;
import java.util.Objects;
import java.util.Optional;

/**
 * Who called the CA, as the API server vouches for its service-account token.
 *
 * @param namespace the service account's namespace
 * @param serviceAccount the service account's name
 * @param node the node the calling pod runs on, when the token is bound to a pod (Kubernetes 1.30+
 *     puts it in the token); empty otherwise
 */
public record Caller(String namespace, String serviceAccount, Optional<String> node) {

    public Caller {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(node, "node");
    }

    /** The identity the caller's own workload has. */
    public SpiffeId identity(String trustDomain) {
        return SpiffeId.of(trustDomain, namespace, serviceAccount);
    }

    public String key() {
        return namespace + "/" + serviceAccount;
    }
}

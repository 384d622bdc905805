package dev.ambient.waypoint.authz;

import java.util.Objects;
import java.util.Optional;

/**
 * What L7 authorization compares, taken once per request after normalization, so that every policy
 * sees the same path and host whatever the client wrote.
 *
 * @param principal the caller's SPIFFE principal ({@code cluster.local/ns/x/sa/y}), empty for none
 * @param namespace the caller's namespace, empty for none
 * @param method the request method, as sent (methods are case-sensitive)
 * @param path the normalized path, without the query
 * @param host the normalized host, lower case and without port
 * @param service the destination service's hostname, or empty when the request was for a pod
 * @param opaque a connection that is not HTTP: method, path and host are unknown (and empty)
 */
public record RequestFacts(Optional<String> principal, Optional<String> namespace, String method, String path,
        String host, String service, boolean opaque) {

    public RequestFacts(Optional<String> principal, Optional<String> namespace, String method, String path,
            String host, String service) {
        this(principal, namespace, method, path, host, service, false);
    }

    /** A connection whose bytes are not HTTP, authorized on who sends it and where it goes. */
    public static RequestFacts opaque(Optional<String> principal, Optional<String> namespace, String service) {
        return new RequestFacts(principal, namespace, "", "", "", service, true);
    }

    public RequestFacts {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(service, "service");
    }
}

package dev.ambient.ztunnel.apiserver;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * A resource kind the mesh reads without a typed model: Istio's policies and the Gateway API objects
 * that declare waypoints and routes. Read from the API server as generic resources.
 */
record CustomKind(String group, String version, String kind, String plural) {

    /** What the data plane and the waypoints read, as the mesh file carries them. */
    static final List<CustomKind> MESH = List.of(
            new CustomKind("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies"),
            new CustomKind("security.istio.io", "v1", "PeerAuthentication", "peerauthentications"),
            new CustomKind("networking.istio.io", "v1", "DestinationRule", "destinationrules"),
            new CustomKind("gateway.networking.k8s.io", "v1", "Gateway", "gateways"),
            new CustomKind("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"));

    String apiVersion() {
        return group + "/" + version;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    @Override
    public String toString() {
        return plural + "." + group;
    }
}

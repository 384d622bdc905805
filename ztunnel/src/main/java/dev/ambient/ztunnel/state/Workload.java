package dev.ambient.ztunnel.state;

import dev.ambient.ztunnel.identity.SpiffeId;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One pod as the data plane sees it: where it runs, who it is, and whether it is in the mesh.
 *
 * @param name pod name
 * @param namespace pod namespace
 * @param serviceAccount the service account its identity is derived from
 * @param node the node the pod is scheduled on; ztunnel serves the identities of its own node's pods
 * @param ip the pod IP
 * @param labels pod labels (selectors, canonical names, policy selectors)
 * @param namedPorts container ports by name, so a Service's named targetPort resolves
 * @param ready whether the pod may receive new connections through a Service
 * @param protocol HBONE when enrolled in the mesh
 * @param hostNetwork host-network pods share the node's address and are never enrolled
 * @param sidecar the pod runs its own proxy (sidecar mode): in the mesh, but never captured by the
 *     node's agent
 * @param trustDomain the trust domain of its SPIFFE identity
 */
public record Workload(
        String name,
        String namespace,
        String serviceAccount,
        String node,
        InetAddress ip,
        Map<String, String> labels,
        Map<String, Integer> namedPorts,
        boolean ready,
        TunnelProtocol protocol,
        boolean hostNetwork,
        boolean sidecar,
        String trustDomain) {

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(ip, "ip");
        labels = Map.copyOf(labels);
        namedPorts = Map.copyOf(namedPorts);
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(trustDomain, "trustDomain");
    }

    /** {@code namespace/name}, unique in a snapshot. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The SPIFFE identity this workload proves in every handshake. */
    public SpiffeId identity() {
        return SpiffeId.of(trustDomain, namespace, serviceAccount);
    }

    public String canonicalName() {
        return MeshLabels.canonicalName(name, labels);
    }

    public String canonicalRevision() {
        return MeshLabels.canonicalRevision(labels);
    }

    /** The same pod running its own proxy (a sidecar, or a waypoint's pod): in the mesh, never captured. */
    public Workload withOwnProxy() {
        return hostNetwork ? this : new Workload(name, namespace, serviceAccount, node, ip, labels, namedPorts, ready,
                TunnelProtocol.HBONE, false, true, trustDomain);
    }

    public boolean inMesh() {
        return protocol == TunnelProtocol.HBONE;
    }
}

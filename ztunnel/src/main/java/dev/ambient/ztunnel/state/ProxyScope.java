package dev.ambient.ztunnel.state;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which workloads a proxy serves: every pod of its node (the node proxy), or one pod (a sidecar, the
 * "dedicated" mode). It proves their identities, takes their outbound traffic, and delivers to them.
 *
 * @param node the node the proxy runs on
 * @param dedicated the one workload ({@code namespace/name}) of a sidecar, empty for a node proxy
 */
public record ProxyScope(String node, Optional<String> dedicated) {

    public ProxyScope {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(dedicated, "dedicated");
    }

    public static ProxyScope node(String node) {
        return new ProxyScope(node, Optional.empty());
    }

    /** A node proxy serves its node's pods except those that carry their own proxy. */
    public boolean serves(Workload workload) {
        return dedicated.map(key -> key.equals(workload.key()))
                .orElse(workload.node().equals(node) && !workload.sidecar());
    }

    /** The workloads in {@code snapshot} this proxy serves. */
    public List<Workload> served(MeshSnapshot snapshot) {
        return (dedicated.isPresent() ? snapshot.workloads() : snapshot.workloadsOn(node)).stream()
                .filter(this::serves).toList();
    }

    @Override
    public String toString() {
        return dedicated.map(key -> "pod " + key).orElse("node " + node);
    }
}

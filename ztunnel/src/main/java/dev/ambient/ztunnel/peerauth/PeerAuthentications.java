package dev.ambient.ztunnel.peerauth;

import dev.ambient.ztunnel.state.Workload;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * All PeerAuthentications of a snapshot and Istio's resolution: the workload's own (selector) policy,
 * then its namespace's, then the mesh-wide one in the root namespace; UNSET defers outwards, and the
 * end of the chain is PERMISSIVE.
 */
public final class PeerAuthentications {

    private final String rootNamespace;
    private final List<PeerAuthentication> policies;

    public PeerAuthentications(String rootNamespace, List<PeerAuthentication> policies) {
        this.rootNamespace = rootNamespace;
        this.policies = policies.stream().sorted(Comparator.comparing(PeerAuthentication::key)).toList();
    }

    public static PeerAuthentications none() {
        return new PeerAuthentications("istio-system", List.of());
    }

    public List<PeerAuthentication> all() {
        return policies;
    }

    /** The effective mode for plaintext arriving at {@code port} of {@code workload}, and which resource set it. */
    public Resolution resolve(Workload workload, int port) {
        Optional<PeerAuthentication> own = policies.stream()
                .filter(p -> p.namespace().equals(workload.namespace()) && !p.selector().isEmpty()
                        && workload.labels().entrySet().containsAll(p.selector().entrySet()))
                .findFirst();
        Optional<PeerAuthentication> namespace = policies.stream()
                .filter(p -> p.namespace().equals(workload.namespace()) && p.selector().isEmpty()).findFirst();
        Optional<PeerAuthentication> mesh = policies.stream()
                .filter(p -> p.namespace().equals(rootNamespace) && p.selector().isEmpty()).findFirst();
        for (Optional<PeerAuthentication> scope : List.of(own, namespace, mesh)) {
            if (scope.isPresent()) {
                MtlsMode mode = scope.get().modeFor(port);
                if (mode != MtlsMode.UNSET) {
                    return new Resolution(mode, scope.get().key());
                }
            }
        }
        return new Resolution(MtlsMode.PERMISSIVE, "");
    }

    /** @param policy the deciding resource, empty for the default */
    public record Resolution(MtlsMode mode, String policy) {}
}

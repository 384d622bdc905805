package dev.ambient.daemonset.ca;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.state.MeshSnapshot;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which identity a caller may have signed, as Istio's CA decides it: a workload its own; a node
 * agent (a service account listed as one) also the identity of any pod scheduled on its own node,
 * asked for as {@code ImpersonatedIdentity}, and nothing else. A refusal says why.
 */
public final class IdentityPolicy {

    /** The identity to sign, or why not. */
    public sealed interface Verdict permits Grant, Refuse {}

    public record Grant(SpiffeId identity) implements Verdict {}

    public record Refuse(String reason) implements Verdict {}

    private final String trustDomain;
    private final Set<String> nodeAgents;
    private final Supplier<MeshSnapshot> pods;

    /** {@code nodeAgents}: service accounts ({@code namespace/name}) of the node agents; {@code pods}: where pods run. */
    public IdentityPolicy(String trustDomain, Set<String> nodeAgents, Supplier<MeshSnapshot> pods) {
        this.trustDomain = trustDomain;
        this.nodeAgents = Set.copyOf(nodeAgents);
        this.pods = pods;
    }

    public Verdict decide(Caller caller, Optional<String> impersonated) {
        SpiffeId own = caller.identity(trustDomain);
        if (impersonated.isEmpty() || impersonated.get().equals(own.toString())) {
            return new Grant(own);
        }
        SpiffeId wanted;
        try {
            wanted = SpiffeId.parse(impersonated.get());
        } catch (RuntimeException e) {
            return new Refuse("ImpersonatedIdentity " + impersonated.get() + " is not a SPIFFE ID: " + e.getMessage());
        }
        if (!nodeAgents.contains(caller.key())) {
            return new Refuse(caller.key() + " is not a node agent, so it may only ask for its own identity " + own
                    + ", not " + wanted);
        }
        if (caller.node().isEmpty()) {
            return new Refuse("the token of node agent " + caller.key() + " names no node (it must be a pod-bound "
                    + "service-account token), so no pod identity can be granted");
        }
        String node = caller.node().get();
        boolean scheduledThere = pods.get().workloadsOn(node).stream().anyMatch(w -> w.identity().equals(wanted));
        if (!scheduledThere) {
            return new Refuse("no pod with identity " + wanted + " is scheduled on node " + node
                    + ", the node of the calling agent");
        }
        return new Grant(wanted);
    }
}

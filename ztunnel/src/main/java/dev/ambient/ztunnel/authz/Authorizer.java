package dev.ambient.ztunnel.authz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether an inbound connection may proceed, from one immutable snapshot of L4 policies.
 *
 * <p>Why a snapshot: a policy change builds a new {@code Authorizer} and swaps it in whole, so a
 * connection never sees half an update, and re-checking every live connection against the new
 * snapshot (to close those it now denies) needs no locking. Evaluation does no I/O and allocates
 * little: policies are indexed by namespace once, here.
 *
 * <p>Evaluation order is Istio's: any matching DENY policy denies; otherwise, with no ALLOW policy
 * applicable the connection is allowed; otherwise it is allowed only if some ALLOW policy matches.
 * Dry-run policies take no part in that and are reported in {@link Decision#dryRuns()}.
 */
public final class Authorizer {
    /** Istio's default root namespace. */
    public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

    private static final Comparator<Policy> BY_KEY =
            Comparator.comparing(Policy::namespace).thenComparing(Policy::name);

    private final String rootNamespace;
    private final List<Policy> policies;
    private final List<Policy> global;
    private final List<Policy> rootSelectors;
    private final Map<String, List<Policy>> byNamespace;

    private Authorizer(String rootNamespace, Collection<Policy> input) {
        this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
        // A later policy with the same key replaces an earlier one, as an update of the same object would.
        Map<String, Policy> unique = new LinkedHashMap<>();
        for (Policy policy : input) {
            unique.put(policy.key(), policy);
        }
        List<Policy> sorted = new ArrayList<>(unique.values());
        sorted.sort(BY_KEY);
        this.policies = List.copyOf(sorted);

        List<Policy> globalPolicies = new ArrayList<>();
        List<Policy> rootSelectorPolicies = new ArrayList<>();
        Map<String, List<Policy>> namespaced = new HashMap<>();
        for (Policy policy : policies) {
            if (policy.scope() == Policy.Scope.GLOBAL) {
                globalPolicies.add(policy);
                continue;
            }
            namespaced.computeIfAbsent(policy.namespace(), ns -> new ArrayList<>()).add(policy);
            if (policy.scope() == Policy.Scope.WORKLOAD_SELECTOR && policy.namespace().equals(rootNamespace)) {
                rootSelectorPolicies.add(policy);
            }
        }
        this.global = List.copyOf(globalPolicies);
        this.rootSelectors = List.copyOf(rootSelectorPolicies);
        Map<String, List<Policy>> frozen = new HashMap<>();
        namespaced.forEach((ns, list) -> frozen.put(ns, List.copyOf(list)));
        this.byNamespace = Map.copyOf(frozen);
    }

    /**
     * A snapshot of the given policies. Policies are kept in key order so that, when several could
     * decide, the reported one is stable across restarts.
     *
     * @param rootNamespace the mesh root namespace (Istio's {@code rootNamespace}, usually
     *                      {@value #DEFAULT_ROOT_NAMESPACE}): its selector policies apply in every
     *                      namespace
     */
    public static Authorizer of(String rootNamespace, Collection<Policy> policies) {
        return new Authorizer(rootNamespace, policies);
    }

    /** A snapshot without policies: everything is allowed. */
    public static Authorizer empty(String rootNamespace) {
        return new Authorizer(rootNamespace, List.of());
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /** All policies of the snapshot, dry-run ones included, in key order. */
    public List<Policy> policies() {
        return policies;
    }

    /** The policies (enforced and dry-run) that apply to the connection's destination. */
    public List<Policy> applicable(ConnectionContext context) {
        String namespace = context.destinationNamespace();
        Map<String, String> labels = context.destinationLabels();
        List<Policy> local = byNamespace.getOrDefault(namespace, List.of());
        List<Policy> out = new ArrayList<>(global.size() + local.size());
        out.addAll(global);
        if (!namespace.equals(rootNamespace)) {
            for (Policy policy : rootSelectors) {
                if (policy.selects(labels)) {
                    out.add(policy);
                }
            }
        }
        for (Policy policy : local) {
            if (policy.scope() == Policy.Scope.NAMESPACE || policy.selects(labels)) {
                out.add(policy);
            }
        }
        return out;
    }

    /** Authorizes one connection. Never throws for a well-formed context. */
    public Decision authorize(ConnectionContext context) {
        List<Policy> applicable = applicable(context);
        MatchInput in = MatchInput.of(context);

        boolean anyEnforced = false;
        boolean anyDryRun = false;
        String deniedBy = null;
        for (Policy policy : applicable) {
            if (policy.dryRun()) {
                anyDryRun = true;
                continue;
            }
            anyEnforced = true;
            if (policy.action() == Policy.Action.DENY && policy.matches(in)) {
                deniedBy = policy.key();
                break;
            }
        }

        int allowPolicies = 0;
        String allowedBy = null;
        if (deniedBy == null) {
            for (Policy policy : applicable) {
                if (!policy.dryRun() && policy.action() == Policy.Action.ALLOW) {
                    allowPolicies++;
                    if (allowedBy == null && policy.matches(in)) {
                        allowedBy = policy.key();
                    }
                }
            }
        }

        List<DryRunResult> dryRuns = anyDryRun
                ? dryRuns(applicable, in, deniedBy != null, allowPolicies, allowedBy != null)
                : List.of();
        if (deniedBy != null) {
            return Decision.deny("denied by policy " + deniedBy, deniedBy, dryRuns);
        }
        if (allowPolicies == 0) {
            String reason = anyEnforced ? "allowed: no DENY policy matched and no ALLOW policy applies"
                    : "allowed: no policies";
            return Decision.allow(reason, "", dryRuns);
        }
        if (allowedBy != null) {
            return Decision.allow("allowed by policy " + allowedBy, allowedBy, dryRuns);
        }
        return Decision.deny("no ALLOW policy matched (" + allowPolicies + " applicable)", "", dryRuns);
    }

    /**
     * For each dry-run policy: the decision if it were enforced alongside the enforced ones. A dry-run
     * DENY adds a way to be denied; a dry-run ALLOW turns on deny-by-default if no ALLOW applied yet.
     */
    private static List<DryRunResult> dryRuns(List<Policy> applicable, MatchInput in, boolean enforcedDeny,
            int allowPolicies, boolean enforcedAllowMatched) {
        boolean allowedNow = !enforcedDeny && (allowPolicies == 0 || enforcedAllowMatched);
        List<DryRunResult> out = new ArrayList<>();
        for (Policy policy : applicable) {
            if (!policy.dryRun()) {
                continue;
            }
            boolean matches = policy.matches(in);
            boolean wouldAllow = switch (policy.action()) {
                case DENY -> allowedNow && !matches;
                case ALLOW -> !enforcedDeny && (enforcedAllowMatched || matches);
            };
            out.add(new DryRunResult(policy.key(), wouldAllow));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Authorizer{root=" + rootNamespace + ", policies=" + policies.size() + "}";
    }
}

package dev.ambient.ztunnel.authz;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An L4 authorization policy as ztunnel enforces it (mirrors {@code istio.security.Authorization}):
 * who it applies to ({@link Scope} and selector), what it does ({@link Action}), and when it
 * matches (rules, OR-ed).
 *
 * <p>A policy with no rules matches nothing: as an ALLOW policy it still makes its workloads
 * deny-by-default (Istio's "allow nothing"), as a DENY policy it has no effect. A dry-run policy
 * is evaluated and reported but never changes a decision.
 *
 * @param name      policy name
 * @param namespace policy namespace
 * @param scope     which destinations the policy applies to
 * @param selector  {@code matchLabels} for {@link Scope#WORKLOAD_SELECTOR}; empty for other scopes
 * @param action    what a match means
 * @param rules     alternatives, any of which makes the policy match
 * @param dryRun    report only, never enforce
 */
public record Policy(
        String name,
        String namespace,
        Scope scope,
        Map<String, String> selector,
        Action action,
        List<Rule> rules,
        boolean dryRun) {

    /** Which destinations a policy applies to. */
    public enum Scope {
        /** Every destination in the mesh (Istio: a policy without selector in the root namespace). */
        GLOBAL,
        /** Every destination in the policy's namespace. */
        NAMESPACE,
        /**
         * Destinations whose labels include the selector, in the policy's namespace; for a policy in
         * the root namespace, in every namespace (as istiod attaches them).
         */
        WORKLOAD_SELECTOR
    }

    /** What a matching policy does. */
    public enum Action { ALLOW, DENY }

    public Policy {
        requireName(name, "name");
        requireName(namespace, "namespace");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(action, "action");
        selector = Map.copyOf(selector);
        rules = List.copyOf(rules);
        if (scope == Scope.WORKLOAD_SELECTOR && selector.isEmpty()) {
            throw new IllegalArgumentException("policy " + namespace + "/" + name
                    + ": WORKLOAD_SELECTOR scope needs at least one selector label");
        }
        if (scope != Scope.WORKLOAD_SELECTOR && !selector.isEmpty()) {
            throw new IllegalArgumentException("policy " + namespace + "/" + name
                    + ": a selector is only meaningful with WORKLOAD_SELECTOR scope, not " + scope);
        }
    }

    /** {@code namespace/name}, the identity used in decisions, logs and config dumps. */
    public String key() {
        return namespace + "/" + name;
    }

    /** Whether every selector label is on the workload; true for scopes without a selector. */
    public boolean selects(Map<String, String> workloadLabels) {
        for (Map.Entry<String, String> label : selector.entrySet()) {
            if (!label.getValue().equals(workloadLabels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether any rule matches the connection (regardless of scope, action and dry-run). */
    public boolean matches(ConnectionContext context) {
        return matches(MatchInput.of(context));
    }

    boolean matches(MatchInput in) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).matches(in)) {
                return true;
            }
        }
        return false;
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("policy " + what + " must not be blank");
        }
    }
}

package dev.ambient.waypoint.authz;

import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.authz.DryRunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Istio's evaluation order for one request: a matching DENY policy denies; otherwise, when any ALLOW
 * policy applies, one of them must match; otherwise the request is allowed. Dry-run policies are
 * evaluated the same way and reported, never enforced. The waypoint turns a denial into 403.
 */
public final class L7Authorizer {

    private final List<L7Policy> policies;

    public L7Authorizer(List<L7Policy> policies) {
        this.policies = List.copyOf(policies);
    }

    public static L7Authorizer none() {
        return new L7Authorizer(List.of());
    }

    public Decision authorize(RequestFacts request) {
        List<L7Policy> applicable = policies.stream().filter(p -> p.appliesTo(request)).toList();
        List<DryRunResult> dryRuns = new ArrayList<>();
        for (L7Policy p : applicable) {
            if (p.dryRun()) {
                boolean matched = p.matches(request);
                boolean wouldAllow = p.action() == L7Policy.Action.ALLOW ? matched : !matched;
                dryRuns.add(wouldAllow ? DryRunResult.wouldAllow(p.key()) : DryRunResult.wouldDeny(p.key()));
            }
        }
        for (L7Policy p : applicable) {
            if (!p.dryRun() && p.action() == L7Policy.Action.DENY && p.matches(request)) {
                return Decision.deny("denied by policy " + p.key(), p.key(), dryRuns);
            }
        }
        List<L7Policy> allows = applicable.stream()
                .filter(p -> !p.dryRun() && p.action() == L7Policy.Action.ALLOW).toList();
        if (allows.isEmpty()) {
            return Decision.allow("no ALLOW policy applies", "", dryRuns);
        }
        for (L7Policy p : allows) {
            if (p.matches(request)) {
                return Decision.allow("allowed by policy " + p.key(), p.key(), dryRuns);
            }
        }
        return Decision.deny("no ALLOW policy matches (" + allows.size() + " apply)", "", dryRuns);
    }

    public List<L7Policy> policies() {
        return policies;
    }
}

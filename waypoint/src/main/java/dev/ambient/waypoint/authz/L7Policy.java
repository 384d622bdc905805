package dev.ambient.waypoint.authz;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An Istio AuthorizationPolicy attached to a waypoint ({@code targetRefs} naming its Gateway, or a
 * Service it serves).
 *
 * @param key namespace/name
 * @param action ALLOW or DENY
 * @param dryRun evaluated and logged, never enforced ({@code istio.io/dry-run})
 * @param services the service hostnames it is attached to; empty when attached to the whole waypoint
 * @param rules its rules; none means it matches no request
 */
public record L7Policy(String key, Action action, boolean dryRun, Set<String> services, List<L7Rule> rules) {

    public enum Action { ALLOW, DENY }

    public L7Policy {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        services = Set.copyOf(services);
        rules = List.copyOf(rules);
    }

    /** Whether it applies to a request for {@code service} at all. */
    boolean appliesTo(RequestFacts r) {
        return services.isEmpty() || services.contains(r.service());
    }

    boolean matches(RequestFacts r) {
        return rules.stream().anyMatch(rule -> rule.matches(r, action == Action.DENY));
    }
}

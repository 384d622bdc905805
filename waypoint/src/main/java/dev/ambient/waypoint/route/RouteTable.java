package dev.ambient.waypoint.route;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The waypoint's HTTPRoute rules by the service they are attached to, and the choice of one rule
 * for a request: among the matches that hold, the one of highest Gateway API precedence, ties going
 * to the rule declared first. A service without routes goes to itself.
 */
public final class RouteTable {

    private record Candidate(RouteRule rule, RouteMatch match, int order) {}

    private final Map<String, List<RouteRule>> byService;

    public RouteTable(Map<String, List<RouteRule>> byService) {
        Map<String, List<RouteRule>> copy = new HashMap<>();
        byService.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byService = Map.copyOf(copy);
    }

    public static RouteTable empty() {
        return new RouteTable(Map.of());
    }

    /** Whether any route is attached to {@code service}. */
    public boolean routes(String service) {
        return byService.containsKey(service);
    }

    /**
     * The rule for a request to {@code service}; empty when routes exist and none matches (the
     * request is answered 404), or when the service has no routes (see {@link #routes}).
     */
    public Optional<RouteRule> select(String service, String method, String path, Function<String, String> header) {
        List<RouteRule> rules = byService.getOrDefault(service, List.of());
        Candidate best = null;
        int order = 0;
        for (RouteRule rule : rules) {
            List<RouteMatch> matches = rule.matches().isEmpty() ? List.of(RouteMatch.ANY) : rule.matches();
            for (RouteMatch m : matches) {
                if (m.matches(method, path, header) && (best == null
                        || Arrays.compare(m.precedence(), best.match().precedence()) > 0)) {
                    best = new Candidate(rule, m, order);
                }
            }
            order++;
        }
        return Optional.ofNullable(best).map(Candidate::rule);
    }

    public Map<String, List<RouteRule>> all() {
        return byService;
    }
}

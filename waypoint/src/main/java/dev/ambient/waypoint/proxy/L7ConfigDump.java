package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.authz.L7Policy;
import dev.ambient.waypoint.circuit.BackendPolicy;
import dev.ambient.waypoint.route.Backend;
import dev.ambient.waypoint.route.RouteRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The waypoint's part of {@code /config_dump}: the policies it enforces, the routes it applies and
 * the backend settings (circuit-breaker limits, outlier detection) its DestinationRules give.
 */
final class L7ConfigDump {

    private L7ConfigDump() {}

    static Map<String, Object> render(L7Config config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("waypointPolicies", config.authorizer().policies().stream().map(L7ConfigDump::policy).toList());
        Map<String, Object> routes = new TreeMap<>();
        config.routes().all().forEach((service, rules) -> routes.put(service, rules.stream().map(L7ConfigDump::rule)
                .toList()));
        out.put("waypointRoutes", routes);
        Map<String, Object> backends = new TreeMap<>();
        config.backends().forEach((host, p) -> backends.put(host, backendPolicy(p)));
        out.put("waypointBackends", backends);
        return out;
    }

    private static Map<String, Object> backendPolicy(BackendPolicy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("destinationRule", p.source());
        out.put("maxConnections", p.limits().maxConnections());
        out.put("maxPendingRequests", p.limits().maxPendingRequests());
        out.put("maxRequests", p.limits().maxRequests());
        out.put("maxRequestsPerConnection", p.limits().maxRequestsPerConnection());
        out.put("idleTimeout", p.limits().idleTimeout().toString());
        out.put("consecutive5xxErrors", p.outliers().consecutiveErrors());
        out.put("baseEjectionTime", p.outliers().baseEjection().toString());
        out.put("maxEjectionPercent", (int) Math.round(p.outliers().maxEjectedShare() * 100));
        return out;
    }

    private static Map<String, Object> policy(L7Policy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.key());
        out.put("action", p.action().name());
        out.put("dryRun", p.dryRun());
        out.put("attachedTo", p.services().isEmpty() ? List.of("the waypoint") : List.copyOf(p.services()));
        out.put("rules", p.rules().size());
        return out;
    }

    private static Map<String, Object> rule(RouteRule r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", r.route());
        out.put("matches", r.matches().stream().map(m -> m.path().map(p -> (p.exact() ? "= " : "prefix ") + p.value())
                .orElse("any path") + m.method().map(x -> " " + x).orElse("") + (m.headers().isEmpty() ? ""
                : " headers " + m.headers())).toList());
        out.put("backends", r.backends().stream().map(L7ConfigDump::backend).toList());
        r.timeout().ifPresent(t -> out.put("timeout", t.toString()));
        r.attemptTimeout().ifPresent(t -> out.put("attemptTimeout", t.toString()));
        r.retry().ifPresent(x -> out.put("retry", Map.of("attempts", x.attempts(), "codes", List.copyOf(x.codes()),
                "backoff", x.backoff().toString())));
        r.rateLimit().ifPresent(l -> out.put("rateLimit", Map.of("perSecond", l.perSecond(), "burst", l.burst())));
        return out;
    }

    private static Map<String, Object> backend(Backend b) {
        return Map.of("service", b.service(), "port", b.port(), "weight", b.weight());
    }
}

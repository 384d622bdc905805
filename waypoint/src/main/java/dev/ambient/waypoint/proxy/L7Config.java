package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.authz.L7Authorizer;
import dev.ambient.waypoint.authz.L7Policy;
import dev.ambient.waypoint.authz.L7PolicyParser;
import dev.ambient.waypoint.circuit.BackendPolicy;
import dev.ambient.waypoint.circuit.DestinationRuleParser;
import dev.ambient.waypoint.route.HttpRouteParser;
import dev.ambient.waypoint.route.RouteRule;
import dev.ambient.waypoint.route.RouteTable;
import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one waypoint enforces, read from one snapshot: its AuthorizationPolicies, the HTTPRoutes of
 * the services it serves and the DestinationRules of their backends. A resource that does not parse
 * is logged and left out alone.
 */
record L7Config(long version, L7Authorizer authorizer, RouteTable routes, Map<String, BackendPolicy> backends) {

    private static final Logger LOG = System.getLogger(L7Config.class.getName());

    static L7Config of(MeshSnapshot snapshot, Waypoint waypoint) {
        L7PolicyParser policyParser = new L7PolicyParser(waypoint, snapshot.clusterDomain());
        HttpRouteParser routeParser = new HttpRouteParser(snapshot.clusterDomain());
        List<L7Policy> policies = new ArrayList<>();
        Map<String, List<RouteRule>> routes = new HashMap<>();
        Map<String, BackendPolicy> backends = new HashMap<>();
        DestinationRuleParser ruleParser = new DestinationRuleParser(snapshot.clusterDomain());
        for (GenericKubernetesResource r : snapshot.waypointConfig()) {
            if (HttpRouteParser.KIND.equals(r.getKind())) {
                ParseResult<HttpRouteParser.ParsedRoute> parsed = routeParser.parse(r);
                report(parsed);
                if (parsed.isOk()) {
                    for (String service : parsed.value().services()) {
                        routes.computeIfAbsent(service, s -> new ArrayList<>()).addAll(parsed.value().rules());
                    }
                }
            } else if (DestinationRuleParser.KIND.equals(r.getKind())) {
                ParseResult<BackendPolicy> parsed = ruleParser.parse(r);
                report(parsed);
                if (parsed.isOk()) {
                    backends.put(parsed.value().host(), parsed.value());
                }
            } else {
                ParseResult<L7Policy> parsed = policyParser.parse(r);
                report(parsed);
                if (parsed.isOk()) {
                    policies.add(parsed.value());
                }
            }
        }
        return new L7Config(snapshot.version(), new L7Authorizer(policies), new RouteTable(routes), Map.copyOf(backends));
    }

    /** How to treat the backend service {@code host}: its DestinationRule's settings, or the defaults. */
    BackendPolicy backend(String host) {
        BackendPolicy p = backends.get(host);
        return p != null ? p : BackendPolicy.defaults(host);
    }

    private static void report(ParseResult<?> result) {
        result.warnings().forEach(w -> LOG.log(Level.WARNING, w));
        if (!result.isOk() && !result.isSkipped()) {
            result.errors().forEach(e -> LOG.log(Level.ERROR, "not enforced by the waypoint: " + e));
        }
    }
}

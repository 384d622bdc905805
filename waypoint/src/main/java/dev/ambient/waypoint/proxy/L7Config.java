package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.authz.L7Authorizer;
import dev.ambient.waypoint.authz.L7Policy;
import dev.ambient.waypoint.authz.L7PolicyParser;
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
 * What one waypoint enforces, read from one snapshot: its AuthorizationPolicies and the HTTPRoutes
 * of the services it serves. A resource that does not parse is logged and left out alone.
 */
record L7Config(long version, L7Authorizer authorizer, RouteTable routes) {

    private static final Logger LOG = System.getLogger(L7Config.class.getName());

    static L7Config of(MeshSnapshot snapshot, Waypoint waypoint) {
        L7PolicyParser policyParser = new L7PolicyParser(waypoint, snapshot.clusterDomain());
        HttpRouteParser routeParser = new HttpRouteParser(snapshot.clusterDomain());
        List<L7Policy> policies = new ArrayList<>();
        Map<String, List<RouteRule>> routes = new HashMap<>();
        for (GenericKubernetesResource r : snapshot.waypointConfig()) {
            if (HttpRouteParser.KIND.equals(r.getKind())) {
                ParseResult<HttpRouteParser.ParsedRoute> parsed = routeParser.parse(r);
                report(parsed);
                if (parsed.isOk()) {
                    for (String service : parsed.value().services()) {
                        routes.computeIfAbsent(service, s -> new ArrayList<>()).addAll(parsed.value().rules());
                    }
                }
            } else {
                ParseResult<L7Policy> parsed = policyParser.parse(r);
                report(parsed);
                if (parsed.isOk()) {
                    policies.add(parsed.value());
                }
            }
        }
        return new L7Config(snapshot.version(), new L7Authorizer(policies), new RouteTable(routes));
    }

    private static void report(ParseResult<?> result) {
        result.warnings().forEach(w -> LOG.log(Level.WARNING, w));
        if (!result.isOk() && !result.isSkipped()) {
            result.errors().forEach(e -> LOG.log(Level.ERROR, "not enforced by the waypoint: " + e));
        }
    }
}

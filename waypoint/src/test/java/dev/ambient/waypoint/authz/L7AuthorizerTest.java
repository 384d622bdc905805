package dev.ambient.waypoint.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.waypoint.http.HostName;
import dev.ambient.waypoint.http.PathNormalizer;
import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.Waypoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policies attached to the waypoint, evaluated in Istio's order on normalized requests. */
class L7AuthorizerTest {

    private static final Waypoint WP = new Waypoint("wp", "shop", Waypoint.Takes.SERVICE);
    private static final String SERVICE = "web.shop.svc.cluster.local";

    private static List<ParseResult<L7Policy>> parse(String yaml) {
        List<ParseResult<L7Policy>> out = new ArrayList<>();
        for (GenericKubernetesResource r : new MeshFileParser().parse(yaml, "m.yaml").custom("AuthorizationPolicy")) {
            out.add(new L7PolicyParser(WP, "cluster.local").parse(r));
        }
        return out;
    }

    private static L7Authorizer authorizer(String yaml) {
        List<L7Policy> policies = new ArrayList<>();
        for (ParseResult<L7Policy> r : parse(yaml)) {
            assertTrue(r.isOk() || r.isSkipped(), r.errors().toString());
            if (r.isOk()) {
                policies.add(r.value());
            }
        }
        return new L7Authorizer(policies);
    }

    private static RequestFacts request(String method, String target, String host, String principal) {
        return new RequestFacts(Optional.ofNullable(principal), Optional.ofNullable(principal).map(p -> p.split("/")[2]),
                method, PathNormalizer.normalize(target).orElseThrow().path(), HostName.normalize(host).orElseThrow(),
                SERVICE);
    }

    private static final String DENY_ADMIN = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-admin-writes, namespace: shop}
            spec:
              targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
              action: DENY
              rules:
              - to: [{operation: {methods: [POST], paths: [/admin, /admin/*], hosts: [web.shop.svc.cluster.local]}}]
            """;

    @ParameterizedTest
    @ValueSource(strings = {"/admin", "//admin", "/admin/../admin", "/%2Fadmin", "/%61dmin", "/x/..%2Fadmin",
        "/%5Cadmin", "/admin/users", "/./admin"})
    void everySpellingOfAdminIsDenied(String path) {
        Decision d = authorizer(DENY_ADMIN).authorize(request("POST", path, "Web.Shop.SVC.cluster.local:80", null));
        assertTrue(d.denied(), path + ": " + d);
        assertEquals("shop/no-admin-writes", d.policy());
    }

    @Test
    void whatTheRuleDoesNotNameStillPasses() {
        L7Authorizer a = authorizer(DENY_ADMIN);
        assertTrue(a.authorize(request("GET", "/admin", "web.shop.svc.cluster.local", null)).allowed());
        assertTrue(a.authorize(request("POST", "/administrator", "web.shop.svc.cluster.local", null)).allowed());
        assertTrue(a.authorize(request("POST", "/admin", "other.shop.svc.cluster.local", null)).allowed());
    }

    @Test
    void allowPoliciesMustMatchOnceAnyApplies() {
        L7Authorizer a = authorizer("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: readers, namespace: shop}
                spec:
                  targetRefs: [{kind: Service, group: "", name: web}]
                  rules:
                  - from: [{source: {principals: [cluster.local/ns/shop/sa/client], notNamespaces: [evil]}}]
                    to: [{operation: {methods: [GET, HEAD]}}]
                """);
        assertTrue(a.authorize(request("GET", "/", "web", "cluster.local/ns/shop/sa/client")).allowed());
        assertTrue(a.authorize(request("POST", "/", "web", "cluster.local/ns/shop/sa/client")).denied());
        assertTrue(a.authorize(request("GET", "/", "web", "cluster.local/ns/shop/sa/other")).denied());
        assertTrue(a.authorize(request("GET", "/", "web", null)).denied(), "no identity, no principal");
        RequestFacts otherService = new RequestFacts(Optional.empty(), Optional.empty(), "POST", "/", "api", "api.shop.svc.cluster.local");
        assertTrue(a.authorize(otherService).allowed(), "attached to web only");
    }

    @Test
    void dryRunIsReportedNotEnforced() {
        L7Authorizer a = authorizer(DENY_ADMIN.replace("metadata: {name: no-admin-writes, namespace: shop}",
                "metadata: {name: no-admin-writes, namespace: shop, annotations: {istio.io/dry-run: \"true\"}}"));
        Decision d = a.authorize(request("POST", "/admin", "web.shop.svc.cluster.local", null));
        assertTrue(d.allowed());
        assertEquals(1, d.dryRuns().size());
        assertFalse(d.dryRuns().get(0).wouldAllow());
    }

    @Test
    void othersPoliciesAreSkippedAndUnsupportedFieldsRejectThePolicy() {
        List<ParseResult<L7Policy>> results = parse("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: selector, namespace: shop}
                spec: {selector: {matchLabels: {app: web}}, action: DENY, rules: [{}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: other-gateway, namespace: shop}
                spec: {targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: ingress}], rules: [{}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: too-clever, namespace: shop}
                spec:
                  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
                  action: DENY
                  rules:
                  - to: [{operation: {ports: ["8080"], paths: [admin]}}]
                    when: [{key: "request.headers[x-role]", values: [admin]}]
                """);
        assertTrue(results.get(0).isSkipped());
        assertTrue(results.get(1).isSkipped());
        List<String> errors = results.get(2).errors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("when")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("ports")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("must start with /")), errors.toString());
    }

    @Test
    void opaqueConnectionsAreDeniedMoreAndAllowedLess() {
        RequestFacts tcp = RequestFacts.opaque(Optional.of("cluster.local/ns/shop/sa/client"), Optional.of("shop"),
                SERVICE);
        assertTrue(authorizer(DENY_ADMIN).authorize(tcp).denied(),
                "a DENY rule naming methods and paths cannot be checked on TCP, so it applies in full");
        L7Authorizer allowGets = authorizer("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: gets, namespace: shop}
                spec:
                  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
                  action: ALLOW
                  rules: [{to: [{operation: {methods: [GET]}}]}]
                """);
        assertTrue(allowGets.authorize(tcp).denied(), "an ALLOW rule for GETs does not allow raw TCP");
        L7Authorizer allowClient = authorizer("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: client, namespace: shop}
                spec:
                  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
                  action: ALLOW
                  rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/client]}}]}]
                """);
        assertTrue(allowClient.authorize(tcp).allowed(), "a rule on the source alone applies to TCP as it is");
    }
}

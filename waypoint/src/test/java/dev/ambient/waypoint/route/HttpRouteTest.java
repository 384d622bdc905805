package dev.ambient.waypoint.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** HTTPRoutes attached to services: which rule a request meets, and where its requests go. */
class HttpRouteTest {

    private static final String WEB = "web.shop.svc.cluster.local";

    private static ParseResult<HttpRouteParser.ParsedRoute> parse(String yaml) {
        return new HttpRouteParser("cluster.local").parse(
                new MeshFileParser().parse(yaml, "m.yaml").custom("HTTPRoute").get(0));
    }

    private static RouteTable table(String yaml) {
        ParseResult<HttpRouteParser.ParsedRoute> r = parse(yaml);
        assertTrue(r.isOk(), r.errors().toString());
        return new RouteTable(Map.of(WEB, r.value().rules()));
    }

    private static final String SPLIT = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: web, port: 80}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /api}}]
                backendRefs: [{name: web-v1, port: 80, weight: 90}, {name: web-v2, port: 80, weight: 10}]
                timeouts: {request: 1m30s}
              - matches: [{path: {type: Exact, value: /api/health}}]
                backendRefs: [{name: health, port: 8080}]
              - matches: [{headers: [{name: X-Canary, value: "yes"}], method: GET}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: X-Route, value: canary}], add: [{name: X-Seen, value: "1"}], remove: [X-Debug]}
                backendRefs: [{name: web-v2, port: 80}]
            """;

    @Test
    void aNinetyTenSplitLandsNinetyTen() {
        RouteRule rule = table(SPLIT).select(WEB, "GET", "/api/items", h -> null).orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(90)), rule.timeout());
        SplittableRandom random = new SplittableRandom(42);
        int v2 = 0;
        for (int i = 0; i < 10_000; i++) {
            if (rule.pick(random).orElseThrow().service().equals("web-v2.shop.svc.cluster.local")) {
                v2++;
            }
        }
        assertTrue(v2 > 800 && v2 < 1200, "about 10% to v2: " + v2);
    }

    @Test
    void theMostSpecificMatchWins() {
        RouteTable t = table(SPLIT);
        assertEquals("health.shop.svc.cluster.local",
                t.select(WEB, "GET", "/api/health", h -> null).orElseThrow().backends().get(0).service());
        assertEquals(2, t.select(WEB, "GET", "/api", h -> null).orElseThrow().backends().size());
        assertTrue(t.select(WEB, "GET", "/apix", h -> null).isEmpty(), "a prefix matches whole segments");
        RouteRule canary = t.select(WEB, "GET", "/other", h -> h.equals("x-canary") ? "yes" : null).orElseThrow();
        assertEquals(Map.of("x-route", "canary"), canary.setHeaders());
        assertEquals(List.of("x-debug"), canary.removeHeaders());
        assertTrue(t.select(WEB, "POST", "/other", h -> h.equals("x-canary") ? "yes" : null).isEmpty());
        assertTrue(t.routes(WEB) && !t.routes("other.shop.svc.cluster.local"));
    }

    @Test
    void ingressRoutesAreSkippedAndUnsupportedFieldsAreErrors() {
        assertTrue(parse("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: ingress, namespace: shop}
                spec: {parentRefs: [{name: public-gateway}], rules: [{backendRefs: [{name: web, port: 80}]}]}
                """).isSkipped());
        List<String> errors = parse("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: odd, namespace: shop}
                spec:
                  parentRefs: [{group: "", kind: Service, name: web}]
                  rules:
                  - matches: [{path: {type: RegularExpression, value: "/a.*"}, queryParams: [{name: q, value: "1"}]}]
                    filters: [{type: RequestMirror}]
                    backendRefs: [{name: web}]
                    timeouts: {request: soon}
                  - backendRefs: [{name: web, port: 80}]
                    timeouts: {request: 1s, backendRequest: 2s, idle: 5s}
                """).errors();
        for (String expected : List.of("RegularExpression", "queryParams", "RequestMirror", "port", "soon",
                "backendRequest: must not be longer", "idle")) {
            assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), expected + " in " + errors);
        }
    }

    @Test
    void retriesAreReadAndOnlyServerErrorsAreRetried() {
        ParseResult<HttpRouteParser.ParsedRoute> ok = parse("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: shop}
                spec:
                  parentRefs: [{group: "", kind: Service, name: web}]
                  rules: [{backendRefs: [{name: web, port: 80}], retry: {attempts: 3, codes: [502, 503], backoff: 50ms}}]
                """);
        RetryPolicy retry = ok.value().rules().get(0).retry().orElseThrow();
        assertEquals(3, retry.attempts());
        assertTrue(retry.retries(503) && !retry.retries(500));
        assertEquals(Duration.ofMillis(50), retry.backoff());
        List<String> errors = parse("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: shop}
                spec:
                  parentRefs: [{group: "", kind: Service, name: web}]
                  rules: [{backendRefs: [{name: web, port: 80}], retry: {attempts: 2, codes: [404]}}]
                """).errors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("\"404\" is not a 5xx code")), errors.toString());
    }

    @Test
    void durationsInGatewayApiForm() {
        assertEquals(Optional.of(Duration.ofMillis(500)), HttpRouteParser.duration("500ms"));
        assertEquals(Optional.of(Duration.ofMinutes(61).plusSeconds(1)), HttpRouteParser.duration("1h1m1s"));
        assertTrue(HttpRouteParser.duration("1.5s").isEmpty());
        assertTrue(HttpRouteParser.duration("").isEmpty());
        assertTrue(HttpRouteParser.duration("10").isEmpty());
    }
}

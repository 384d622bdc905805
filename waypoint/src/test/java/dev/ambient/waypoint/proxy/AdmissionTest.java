package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.waypoint.authz.L7Authorizer;
import dev.ambient.waypoint.authz.L7Policy;
import dev.ambient.waypoint.authz.L7PolicyParser;
import dev.ambient.waypoint.ratelimit.RateLimiters;
import dev.ambient.waypoint.route.HttpRouteParser;
import dev.ambient.waypoint.route.RouteTable;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.state.Waypoint;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The request filters in order, on request heads alone: what is refused, with which status, and what is forwarded. */
class AdmissionTest {

    private static final String WEB = "web.shop.svc.cluster.local";
    private static final SpiffeId CLIENT = SpiffeId.of("cluster.local", "shop", "client");
    private static final String YAML = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: web
              namespace: shop
              annotations: {waypoint.ambient.dev/requests-per-second: "0.01", waypoint.ambient.dev/burst: "1"}
            spec:
              parentRefs: [{group: "", kind: Service, name: web}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /api}}]
                filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-route, value: api}]}}]
                backendRefs: [{name: web-v2, port: 8080}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-admin, namespace: shop}
            spec:
              targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]
              action: DENY
              rules: [{to: [{operation: {paths: [/api/admin]}}]}]
            """;

    private final RateLimiters limiters = new RateLimiters();
    private final L7Config config = config();

    private static L7Config config() {
        KubeObjects objects = new MeshFileParser().parse(YAML, "m.yaml");
        L7Policy policy = new L7PolicyParser(new Waypoint("wp", "shop", Waypoint.Takes.SERVICE), "cluster.local")
                .parse(objects.custom("AuthorizationPolicy").get(0)).value();
        HttpRouteParser.ParsedRoute route = new HttpRouteParser("cluster.local")
                .parse(objects.custom("HTTPRoute").get(0)).value();
        return new L7Config(1, new L7Authorizer(List.of(policy)), new RouteTable(Map.of(WEB, route.rules())), Map.of());
    }

    private static HttpRequest request(HttpMethod method, String uri, Map<String, String> headers) {
        DefaultHttpHeaders h = new DefaultHttpHeaders(false); // as a lenient decoder might hand them over
        h.set("host", "web.shop.svc.cluster.local");
        headers.forEach(h::add);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, h);
    }

    private Admission.Verdict admit(HttpRequest r) {
        return Admission.admit(r, CLIENT, WEB, 80, config, limiters, new SplittableRandom(1));
    }

    private static int status(Admission.Verdict v) {
        return assertInstanceOf(Admission.Reply.class, v).status().code();
    }

    @Test
    void smuggledLineBreaksAndUnreadablePathsAre400() {
        assertEquals(400, status(admit(request(HttpMethod.GET, "/api", Map.of("x-a", "1\r\nx-b: 2")))));
        assertEquals(400, status(admit(request(HttpMethod.GET, "/api", Map.of("x-a", "nul\0")))));
        assertEquals(400, status(admit(request(HttpMethod.GET, "api", Map.of()))), "not in origin form");
    }

    @Test
    void policiesSeeTheNormalizedPath() {
        Admission.Verdict v = admit(request(HttpMethod.GET, "/api//x/../admin", Map.of()));
        assertEquals(403, status(v));
        assertEquals("UAEX", ((Admission.Reply) v).flags());
    }

    @Test
    void noMatchingRouteIs404() {
        assertEquals(404, status(admit(request(HttpMethod.GET, "/other", Map.of()))));
    }

    @Test
    void aPassedRequestIsCleanedEditedAndTraced() {
        HttpRequest r = request(HttpMethod.GET, "/api/items", Map.of("connection", "x-hop", "x-hop", "1",
                "x-ambient-peer", "forged", "x-forwarded-client-cert", "forged", "x-http2-scheme", "https",
                "te", "trailers", "x-route", "client-said"));
        Admission.Pass pass = assertInstanceOf(Admission.Pass.class, admit(r));
        assertEquals("web-v2.shop.svc.cluster.local", pass.backend().service());
        assertEquals(8080, pass.backend().port());
        for (String gone : List.of("connection", "x-hop", "x-ambient-peer", "x-forwarded-client-cert", "x-http2-scheme")) {
            assertNull(r.headers().get(gone), gone + " is not forwarded");
        }
        assertEquals("trailers", r.headers().get("te"));
        assertEquals("api", r.headers().get("x-route"), "the route's header modifier wins over the client");
        assertTrue(r.headers().get("traceparent").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
        assertTrue(r.headers().contains("x-request-id"));
    }

    @Test
    void pastTheRouteBurstIs429WithRetryAfter() {
        assertInstanceOf(Admission.Pass.class, admit(request(HttpMethod.GET, "/api/a", Map.of())));
        Admission.Verdict v = admit(request(HttpMethod.GET, "/api/b", Map.of()));
        assertEquals(429, status(v));
        assertTrue(Long.parseLong(((Admission.Reply) v).headers().get("retry-after")) >= 1);
    }
}

package dev.ambient.waypoint.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The connection-pool and outlier-detection fields of a DestinationRule, as a waypoint applies them. */
class DestinationRuleParserTest {

    private static ParseResult<BackendPolicy> parse(String spec) {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web, namespace: shop}
                spec:
                """ + spec.indent(2);
        return new DestinationRuleParser("cluster.local")
                .parse(new MeshFileParser().parse(yaml, "m.yaml").custom("DestinationRule").get(0));
    }

    @Test
    void limitsAndOutlierSettingsAreRead() {
        ParseResult<BackendPolicy> r = parse("""
                host: web
                trafficPolicy:
                  connectionPool:
                    tcp: {maxConnections: 4}
                    http: {http1MaxPendingRequests: 2, http2MaxRequests: 8, maxRequestsPerConnection: 100, idleTimeout: 90s}
                  outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 10s, maxEjectionPercent: 30}
                """);
        assertTrue(r.isOk(), r.errors().toString());
        assertEquals("web.shop.svc.cluster.local", r.value().host(), "a short host is the service in the rule's namespace");
        assertEquals(new Limits(4, 2, 8, 100, Duration.ofSeconds(90)), r.value().limits());
        assertEquals(3, r.value().outliers().consecutiveErrors());
        assertEquals(Duration.ofSeconds(10), r.value().outliers().baseEjection());
        assertEquals(0.3, r.value().outliers().maxEjectedShare(), 1e-9);
    }

    @Test
    void absentFieldsKeepTheDefaults() {
        ParseResult<BackendPolicy> r = parse("host: web.shop.svc.cluster.local\n");
        assertTrue(r.isOk(), r.errors().toString());
        assertEquals(Limits.DEFAULTS, r.value().limits());
    }

    @Test
    void badValuesAreErrorsNamingTheField() {
        ParseResult<BackendPolicy> r = parse("""
                host: web
                trafficPolicy:
                  connectionPool: {tcp: {maxConnections: 0}, http: {idleTimeout: never}}
                  outlierDetection: {baseEjectionTime: soon, maxEjectionPercent: 150}
                """);
        assertFalse(r.isOk());
        String errors = r.errors().toString();
        assertTrue(errors.contains("maxConnections") && errors.contains("baseEjectionTime") && errors.contains("idleTimeout")
                && errors.contains("maxEjectionPercent"), errors);
        assertFalse(parse("trafficPolicy: {}\n").isOk(), "host is required");
    }
}

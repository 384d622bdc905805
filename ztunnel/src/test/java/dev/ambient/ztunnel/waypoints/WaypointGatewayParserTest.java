package dev.ambient.ztunnel.waypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.Waypoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateways of class istio-waypoint become waypoints; others are skipped; mistakes name the field. */
class WaypointGatewayParserTest {

    private static ParseResult<Waypoint> parse(String labels, String spec) {
        String yaml = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: wp, namespace: shop%s}
                spec: %s
                """.formatted(labels, spec);
        return new WaypointGatewayParser().parse(new MeshFileParser().parse(yaml, "m.yaml").custom("Gateway").get(0));
    }

    private static final String HBONE = "{gatewayClassName: istio-waypoint, listeners: [{name: m, port: 15008, protocol: HBONE}]}";

    @Test
    void aWaypointGatewayTakesServiceTrafficByDefault() {
        ParseResult<Waypoint> r = parse("", HBONE);
        assertTrue(r.isOk(), r.errors().toString());
        assertEquals(new Waypoint("wp", "shop", Waypoint.Takes.SERVICE), r.value());
        assertEquals(Waypoint.Takes.ALL, parse(", labels: {istio.io/waypoint-for: all}", HBONE).value().takes());
    }

    @Test
    void otherGatewaysAreNotTheMeshsBusiness() {
        assertTrue(parse("", "{gatewayClassName: nginx, listeners: [{name: h, port: 80, protocol: HTTP}]}").isSkipped());
    }

    @Test
    void mistakesAreReportedTogether() {
        ParseResult<Waypoint> r = parse(", labels: {istio.io/waypoint-for: everything}",
                "{gatewayClassName: istio-waypoint, listeners: [{name: h, port: 80, protocol: HTTP}]}");
        List<String> errors = r.errors();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("15008") && e.contains("HBONE")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("\"everything\"")), errors.toString());
    }
}

package dev.ambient.ztunnel.waypoints;

import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.IstioSpec;
import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.state.Waypoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Gateway API {@code Gateway}: one of class {@code istio-waypoint} declares a waypoint, any
 * other class is none of the mesh's business and is skipped. A waypoint must listen for HBONE on
 * 15008, the only way traffic reaches it; {@code istio.io/waypoint-for} (default {@code service}) says
 * which traffic it takes. Never throws for malformed content.
 */
public final class WaypointGatewayParser {

    public static final String KIND = "Gateway";
    private static final Set<String> API_VERSIONS = Set.of("gateway.networking.k8s.io/v1",
            "gateway.networking.k8s.io/v1beta1");
    private static final int HBONE_PORT = 15008;

    public ParseResult<Waypoint> parse(GenericKubernetesResource resource) {
        Objects.requireNonNull(resource, "resource");
        ObjectMeta meta = resource.getMetadata() == null ? new ObjectMeta() : resource.getMetadata();
        String name = meta.getName() == null ? "" : meta.getName().strip();
        String namespace = meta.getNamespace() == null || meta.getNamespace().isBlank() ? "default"
                : meta.getNamespace().strip();
        Diagnostics d = Diagnostics.forSubject(KIND + " " + namespace + "/" + (name.isEmpty() ? "(unnamed)" : name));
        if (!API_VERSIONS.contains(resource.getApiVersion())) {
            d.error("apiVersion", "expected gateway.networking.k8s.io/v1, got " + Diagnostics.quote(resource.getApiVersion()));
            return ParseResult.errors(d.errors());
        }
        FieldReader spec = IstioSpec.of(resource, d);
        Optional<String> gatewayClass = spec.string("gatewayClassName");
        if (gatewayClass.isEmpty() || !gatewayClass.get().equals(Waypoint.GATEWAY_CLASS)) {
            return d.skipped(); // an ingress or other gateway: not a waypoint
        }
        if (name.isEmpty()) {
            d.error("metadata.name", "is required");
        }
        boolean hbone = false;
        for (FieldReader listener : spec.objects("listeners")) {
            boolean port = listener.scalar("port").map(p -> p.equals(Integer.toString(HBONE_PORT))).orElse(false);
            boolean protocol = listener.string("protocol").map("HBONE"::equals).orElse(false);
            hbone |= port && protocol;
        }
        if (!hbone) {
            spec.error("listeners", "a waypoint needs a listener on port 15008 with protocol HBONE,"
                    + " the only way traffic reaches it");
        }
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String forText = labels.getOrDefault(Waypoint.WAYPOINT_FOR, "service");
        Optional<Waypoint.Takes> takes = Waypoint.Takes.parse(forText);
        if (takes.isEmpty()) {
            d.error("metadata.labels." + Waypoint.WAYPOINT_FOR, Diagnostics.quote(forText)
                    + " is not one of service, workload, all, none");
        }
        if (d.hasErrors()) {
            return ParseResult.errors(d.errors());
        }
        return d.result(new Waypoint(name, namespace, takes.orElseThrow()));
    }
}

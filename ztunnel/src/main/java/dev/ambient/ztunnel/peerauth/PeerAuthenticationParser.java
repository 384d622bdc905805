package dev.ambient.ztunnel.peerauth;

import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.IstioSpec;
import dev.ambient.ztunnel.config.ParseResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads an Istio {@code PeerAuthentication} (security.istio.io/v1 or v1beta1); a bad one rejects only itself. */
public final class PeerAuthenticationParser {

    private static final Set<String> API_VERSIONS = Set.of("security.istio.io/v1", "security.istio.io/v1beta1");

    public ParseResult<PeerAuthentication> parse(GenericKubernetesResource resource) {
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        String namespace = resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
        Diagnostics d = Diagnostics.forSubject("PeerAuthentication " + namespace + "/" + name);
        if (!API_VERSIONS.contains(resource.getApiVersion())) {
            d.error("apiVersion", "expected security.istio.io/v1, got " + Diagnostics.quote(resource.getApiVersion()));
        }
        if (name == null || name.isBlank()) {
            d.error("metadata.name", "is required");
        }
        if (namespace == null || namespace.isBlank()) {
            d.error("metadata.namespace", "is required");
        }
        FieldReader spec = IstioSpec.of(resource, d);
        Map<String, String> selector = IstioSpec.matchLabels(spec);
        MtlsMode mode = spec.object("mtls").flatMap(m -> mode(m, "mode")).orElse(MtlsMode.UNSET);
        Map<Integer, MtlsMode> ports = new HashMap<>();
        Optional<FieldReader> portLevel = spec.object("portLevelMtls");
        if (portLevel.isPresent()) {
            if (selector.isEmpty()) {
                portLevel.get().error("", "portLevelMtls needs a workload selector (Istio's rule)");
            }
            for (Map.Entry<String, FieldReader> entry : portObjects(portLevel.get()).entrySet()) {
                int port = port(entry.getKey(), portLevel.get());
                mode(entry.getValue(), "mode").ifPresent(m -> ports.put(port, m));
            }
        }
        if (d.hasErrors()) {
            return ParseResult.errors(d.errors(), d.warnings());
        }
        return d.result(new PeerAuthentication(name, namespace, selector, mode, ports));
    }

    private static Map<String, FieldReader> portObjects(FieldReader portLevel) {
        Map<String, FieldReader> out = new HashMap<>();
        for (String key : portLevel.keys()) {
            portLevel.object(key).ifPresent(o -> out.put(key, o));
        }
        return out;
    }

    private static int port(String text, FieldReader at) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        at.error(text, "is not a port number (1-65535)");
        return 0;
    }

    private static Optional<MtlsMode> mode(FieldReader mtls, String key) {
        Optional<String> text = mtls.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MtlsMode.valueOf(text.get().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            mtls.error(key, Diagnostics.quote(text.get()) + " is not one of UNSET, DISABLE, PERMISSIVE, STRICT");
            return Optional.empty();
        }
    }
}

package dev.ambient.ztunnel.config;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Optional;

/** The parts every Istio security resource shares: its {@code spec} and its workload selector. */
public final class IstioSpec {

    private IstioSpec() {}

    /** The resource's {@code spec}; an absent spec reads as an empty one. */
    public static FieldReader of(GenericKubernetesResource resource, Diagnostics d) {
        Map<String, Object> properties = resource.getAdditionalProperties();
        Object spec = properties == null ? null : properties.get("spec");
        if (spec == null) {
            return FieldReader.of(d, "spec", Map.of());
        }
        if (spec instanceof Map<?, ?> map) {
            return FieldReader.of(d, "spec", map);
        }
        d.error("spec", "expected an object");
        return FieldReader.of(d, "spec", Map.of());
    }

    /** {@code spec.selector.matchLabels}; empty means the whole namespace (or mesh, in the root namespace). */
    public static Map<String, String> matchLabels(FieldReader spec) {
        Optional<FieldReader> selector = spec.object("selector");
        if (selector.isEmpty()) {
            return Map.of();
        }
        Map<String, String> labels = selector.get().stringMap("matchLabels");
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().isEmpty() || label.getKey().contains("*") || label.getValue().contains("*")) {
                selector.get().error("matchLabels." + label.getKey(),
                        "label keys must not be empty and wildcards are not supported in selectors");
            }
        }
        if (labels.isEmpty() && !spec.diagnostics().hasErrors()) {
            selector.get().warn("", "has no matchLabels, so the policy applies to every workload in its namespace"
                    + " (or the whole mesh in the root namespace)");
        }
        return labels;
    }
}

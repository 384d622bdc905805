package dev.ambient.ztunnel.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/** Null-safe reads of object metadata, with Kubernetes' defaults. */
final class KubeNames {

    private KubeNames() {}

    static String name(ObjectMeta meta) {
        return meta == null || meta.getName() == null ? "" : meta.getName();
    }

    /** Namespaced objects without a namespace live in {@code default}, as kubectl would put them. */
    static String namespace(ObjectMeta meta) {
        return meta == null || meta.getNamespace() == null || meta.getNamespace().isEmpty()
                ? "default" : meta.getNamespace();
    }

    static Map<String, String> labels(ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels());
    }
}

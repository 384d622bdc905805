package dev.ambient.ztunnel.state;

import java.util.Map;
import java.util.Objects;

/** A namespace and its labels: the label {@code istio.io/dataplane-mode=ambient} enrols its pods. */
public record MeshNamespace(String name, Map<String, String> labels) {

    public MeshNamespace {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
    }

    public boolean ambient() {
        return MeshLabels.MODE_AMBIENT.equals(labels.get(MeshLabels.DATAPLANE_MODE));
    }
}

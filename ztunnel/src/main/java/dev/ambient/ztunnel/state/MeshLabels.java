package dev.ambient.ztunnel.state;

import java.util.Map;

/** The labels and annotations the mesh reads; the names are Istio's so existing manifests work unchanged. */
public final class MeshLabels {
    /** {@code ambient} on a namespace enrols its pods; {@code none} on a pod opts it out. */
    public static final String DATAPLANE_MODE = "istio.io/dataplane-mode";
    public static final String MODE_AMBIENT = "ambient";
    public static final String MODE_NONE = "none";
    /** {@code "true"} (label or annotation) on a pod: it carries its own proxy, as in Istio's sidecar mode. */
    public static final String SIDECAR_INJECT = "sidecar.istio.io/inject";
    /** Names the waypoint that serves a namespace, service or pod. */
    public static final String USE_WAYPOINT = "istio.io/use-waypoint";
    /** The namespace of that waypoint, when it is not the resource's own. */
    public static final String USE_WAYPOINT_NAMESPACE = "istio.io/use-waypoint-namespace";

    private MeshLabels() {}

    /**
     * Istio's canonical workload name: what dashboards group pods by, so metrics from this mesh
     * line up with Istio's.
     */
    public static String canonicalName(String podName, Map<String, String> labels) {
        for (String key : new String[] {"service.istio.io/canonical-name", "app.kubernetes.io/name", "app"}) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return podName;
    }

    /** Istio's canonical revision, {@code latest} when the pod does not say. */
    public static String canonicalRevision(Map<String, String> labels) {
        for (String key : new String[] {"service.istio.io/canonical-revision", "app.kubernetes.io/version", "version"}) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return "latest";
    }
}

package dev.ambient.ztunnel.state;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A waypoint: the L7 proxy of a namespace, declared as a Gateway API {@code Gateway} of class
 * {@code istio-waypoint}. Its pods carry the label {@link #GATEWAY_NAME_LABEL} with its name (as
 * Istio's do), which is how the data plane finds where it runs and who it is.
 *
 * @param name the Gateway's name, which {@code istio.io/use-waypoint} refers to
 * @param namespace the Gateway's namespace
 * @param takes which traffic it takes ({@code istio.io/waypoint-for})
 */
public record Waypoint(String name, String namespace, Takes takes) {

    /** The Gateway class that makes a Gateway a waypoint. */
    public static final String GATEWAY_CLASS = "istio-waypoint";
    /** The label on a waypoint's pods naming their Gateway. */
    public static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
    /** The label on a Gateway saying which traffic it takes. */
    public static final String WAYPOINT_FOR = "istio.io/waypoint-for";
    /** The value of {@code istio.io/use-waypoint} on a service or pod that opts out of its namespace's waypoint. */
    public static final String OPT_OUT = "#none";

    /** Traffic addressed to a service, to a pod, to both, or neither. */
    public enum Takes {
        SERVICE, WORKLOAD, ALL, NONE;

        /** The label value, or empty when it is not one of service, workload, all, none. */
        public static Optional<Takes> parse(String value) {
            try {
                return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        public boolean services() {
            return this == SERVICE || this == ALL;
        }

        public boolean workloads() {
            return this == WORKLOAD || this == ALL;
        }
    }

    public Waypoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(takes, "takes");
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** Whether {@code workload} is one of this waypoint's own pods. */
    public boolean runsAs(Workload workload) {
        return workload.namespace().equals(namespace) && name.equals(workload.labels().get(GATEWAY_NAME_LABEL));
    }
}

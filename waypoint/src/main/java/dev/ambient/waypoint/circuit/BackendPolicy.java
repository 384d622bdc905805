package dev.ambient.waypoint.circuit;

import dev.ambient.waypoint.outlier.OutlierDetector;
import java.util.Objects;

/**
 * How the waypoint treats one backend service, from the DestinationRule whose {@code host} names it:
 * connection-pool limits and outlier detection. A backend without one gets Istio's defaults.
 *
 * @param host the service's full hostname
 */
public record BackendPolicy(String host, String source, Limits limits, OutlierDetector.Settings outliers) {

    public BackendPolicy {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(outliers, "outliers");
    }

    public static BackendPolicy defaults(String host) {
        return new BackendPolicy(host, "", Limits.DEFAULTS, OutlierDetector.Settings.DEFAULTS);
    }
}

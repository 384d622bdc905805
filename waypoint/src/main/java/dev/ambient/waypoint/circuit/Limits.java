package dev.ambient.waypoint.circuit;

import java.time.Duration;

/**
 * A backend's connection-pool limits, from its DestinationRule's {@code trafficPolicy.connectionPool}
 * (Istio's names in brackets). Istio leaves connections and requests practically unlimited; pending
 * requests are capped here at Envoy's default, because every one of them is held in memory.
 *
 * @param maxConnections open upstream connections, all endpoints together ({@code tcp.maxConnections})
 * @param maxPendingRequests requests waiting for a connection ({@code http.http1MaxPendingRequests})
 * @param maxRequests requests in flight ({@code http.http2MaxRequests})
 * @param maxRequestsPerConnection requests before an HTTP/1.1 connection is retired; 0 is no limit
 *     ({@code http.maxRequestsPerConnection})
 * @param idleTimeout how long an upstream connection with no request in flight is kept
 *     ({@code http.idleTimeout}; Istio's default is an hour, a waypoint's tunnels are dearer, so a minute)
 */
public record Limits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRequestsPerConnection,
        Duration idleTimeout) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Limits DEFAULTS = new Limits(Integer.MAX_VALUE, 1024, Integer.MAX_VALUE, 0,
            DEFAULT_IDLE_TIMEOUT);

    public Limits {
        if (maxConnections < 1 || maxPendingRequests < 0 || maxRequests < 1 || maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException("connection-pool limits must be positive: " + maxConnections + ", "
                    + maxPendingRequests + ", " + maxRequests + ", " + maxRequestsPerConnection);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive: " + idleTimeout);
        }
    }

    /** The same limits with the default idle timeout. */
    public Limits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRequestsPerConnection) {
        this(maxConnections, maxPendingRequests, maxRequests, maxRequestsPerConnection, DEFAULT_IDLE_TIMEOUT);
    }
}

package dev.ambient.waypoint.circuit;

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
 */
public record Limits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRequestsPerConnection) {

    public static final Limits DEFAULTS = new Limits(Integer.MAX_VALUE, 1024, Integer.MAX_VALUE, 0);

    public Limits {
        if (maxConnections < 1 || maxPendingRequests < 0 || maxRequests < 1 || maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException("connection-pool limits must be positive: " + maxConnections + ", "
                    + maxPendingRequests + ", " + maxRequests + ", " + maxRequestsPerConnection);
        }
    }
}

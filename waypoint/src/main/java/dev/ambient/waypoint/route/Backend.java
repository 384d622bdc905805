package dev.ambient.waypoint.route;

import java.util.Objects;

/**
 * A {@code backendRefs[]} entry: the service that gets a share of a rule's requests.
 *
 * @param service the service's full hostname ({@code name.ns.svc.cluster.local})
 * @param port the service port
 * @param weight its share, relative to the rule's other backends (0 takes none)
 */
public record Backend(String service, int port, int weight) {

    public Backend {
        Objects.requireNonNull(service, "service");
        if (port < 1 || port > 65535 || weight < 0) {
            throw new IllegalArgumentException("BUG: backend " + service + " port " + port + " weight " + weight);
        }
    }
}

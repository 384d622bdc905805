package dev.ambient.waypoint.circuit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link CircuitBreaker} per backend service, kept across configuration versions while its
 * limits stay the same (so counts of live connections survive a reload) and replaced when they change.
 */
public final class CircuitBreakers {

    private final Map<String, CircuitBreaker> byHost = new ConcurrentHashMap<>();

    public CircuitBreaker of(BackendPolicy policy) {
        return byHost.compute(policy.host(), (host, existing) -> existing != null
                && existing.limits().equals(policy.limits()) ? existing : new CircuitBreaker(policy.limits()));
    }

    /** The breaker of backend {@code host}, if one is in use. */
    public java.util.Optional<CircuitBreaker> get(String host) {
        return java.util.Optional.ofNullable(byHost.get(host));
    }
}

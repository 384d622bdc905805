package dev.ambient.waypoint.upstream;

import dev.ambient.waypoint.circuit.CircuitBreaker;

/** A backend's circuit breaker refused the request a connection: answered 503, never retried here. */
public final class OverflowException extends Exception {

    private final CircuitBreaker.Overflow limit;

    public OverflowException(CircuitBreaker.Overflow limit, String backend) {
        super(backend + ": " + limit.name().toLowerCase(java.util.Locale.ROOT) + " limit reached", null, false, false);
        this.limit = limit;
    }

    public CircuitBreaker.Overflow limit() {
        return limit;
    }
}

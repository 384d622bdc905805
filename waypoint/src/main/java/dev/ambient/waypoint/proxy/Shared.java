package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.circuit.CircuitBreakers;
import dev.ambient.waypoint.outlier.OutlierDetector;
import dev.ambient.waypoint.ratelimit.RateLimiters;
import dev.ambient.waypoint.upstream.UpstreamPools;
import dev.ambient.ztunnel.proxy.OutboundRouter;

/**
 * What all of one waypoint's requests share, across tunnels and configuration versions: the retry
 * budget, rate-limit buckets, outlier state, upstream connections, circuit breakers, and the router
 * whose round robin spreads requests over a backend's endpoints.
 */
record Shared(RetryBudget budget, RateLimiters limiters, OutlierDetector outliers, UpstreamPools pools,
        CircuitBreakers breakers, OutboundRouter router) {

    static Shared create() {
        return new Shared(new RetryBudget(), new RateLimiters(),
                new OutlierDetector(OutlierDetector.Settings.DEFAULTS, System::nanoTime), new UpstreamPools(),
                new CircuitBreakers(), new OutboundRouter());
    }
}

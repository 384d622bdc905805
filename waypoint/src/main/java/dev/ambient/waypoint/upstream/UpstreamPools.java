package dev.ambient.waypoint.upstream;

import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.detect.Protocol;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The waypoint's upstream connections, per event loop as Envoy keeps them per worker (so a request
 * and its upstream share a thread and no lock): per endpoint, keep-alive HTTP/1.1 connections or one
 * multiplexed HTTP/2 connection, whichever the request came in with (gRPC stays HTTP/2). Limits,
 * the idle timeout among them, are the backend's {@link CircuitBreaker}, shared by all loops. Pools
 * left with nothing (endpoints gone with a rollout, breakers replaced by a new DestinationRule) are
 * dropped by a sweep on their loop, so a long-lived waypoint does not collect them.
 */
public final class UpstreamPools {

    /** How often each loop drops its unused pools. */
    static final Duration SWEEP = Duration.ofSeconds(30);

    private final Map<EventLoop, Map<String, EndpointPool>> loops = new ConcurrentHashMap<>();
    private final Duration sweep;

    public UpstreamPools() {
        this(SWEEP);
    }

    UpstreamPools(Duration sweep) {
        this.sweep = sweep;
    }

    /**
     * Leases a channel to the endpoint {@code endpointKey} of {@code backend}, speaking {@code protocol}
     * (HTTP1 or HTTP2), opened with {@code connector} when a new connection is needed. Completes on
     * {@code loop}, which must be the caller's.
     */
    public Future<Lease> lease(EventLoop loop, String backend, String endpointKey, Protocol protocol,
            CircuitBreaker breaker, Connector connector) {
        Promise<Lease> promise = loop.newPromise();
        Map<String, EndpointPool> pools = loops.computeIfAbsent(loop, this::sweptOn);
        String key = protocol + " " + endpointKey + " " + System.identityHashCode(breaker);
        pools.computeIfAbsent(key, k -> protocol == Protocol.HTTP2 ? new Http2Pool(loop, breaker, connector, backend)
                : new Http1Pool(loop, breaker, connector, backend)).lease(promise, connector);
        return promise;
    }

    /** The pools held on {@code loop}, counted on that loop. */
    Future<Integer> size(EventLoop loop) {
        return loop.submit(() -> loops.getOrDefault(loop, Map.of()).size());
    }

    private Map<String, EndpointPool> sweptOn(EventLoop loop) {
        Map<String, EndpointPool> pools = new HashMap<>();
        loop.scheduleWithFixedDelay(() -> pools.values().removeIf(EndpointPool::unused), sweep.toNanos(),
                sweep.toNanos(), TimeUnit.NANOSECONDS);
        return pools;
    }
}

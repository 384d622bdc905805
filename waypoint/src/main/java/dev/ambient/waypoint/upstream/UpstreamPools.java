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

/**
 * The waypoint's upstream connections, per event loop as Envoy keeps them per worker (so a request
 * and its upstream share a thread and no lock): per endpoint, keep-alive HTTP/1.1 connections or one
 * multiplexed HTTP/2 connection, whichever the request came in with (gRPC stays HTTP/2). Limits are
 * the backend's {@link CircuitBreaker}, shared by all loops.
 */
public final class UpstreamPools {

    /** How long an idle HTTP/1.1 connection is kept (Envoy's default idle timeout is an hour; tunnels are dearer). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final Map<EventLoop, Map<String, Object>> loops = new ConcurrentHashMap<>();

    /**
     * Leases a channel to the endpoint {@code endpointKey} of {@code backend}, speaking {@code protocol}
     * (HTTP1 or HTTP2), opened with {@code connector} when a new connection is needed. Completes on
     * {@code loop}, which must be the caller's.
     */
    public Future<Lease> lease(EventLoop loop, String backend, String endpointKey, Protocol protocol,
            CircuitBreaker breaker, Connector connector) {
        Promise<Lease> promise = loop.newPromise();
        Map<String, Object> pools = loops.computeIfAbsent(loop, l -> new HashMap<>());
        String key = protocol + " " + endpointKey + " " + System.identityHashCode(breaker);
        if (protocol == Protocol.HTTP2) {
            ((Http2Pool) pools.computeIfAbsent(key, k -> new Http2Pool(breaker, connector, backend))).lease(promise, connector);
        } else {
            ((Http1Pool) pools.computeIfAbsent(key, k -> new Http1Pool(loop, breaker, connector, IDLE_TIMEOUT,
                    backend))).lease(promise, connector);
        }
        return promise;
    }
}

package dev.ambient.waypoint.proxy;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.state.Workload;
import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.circuit.CircuitBreakers;
import dev.ambient.waypoint.circuit.Limits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What every request leaves behind: Istio's standard L7 metrics, reported by the waypoint
 * ({@code istio_requests_total}, {@code istio_request_duration_milliseconds}, labelled as Istio labels
 * them, response flags included), and one access-log line with the request id and trace id that tie
 * it to the backend's logs.
 */
final class RequestTelemetry {

    private static final Logger ACCESS = System.getLogger("access");

    /** One finished request, as it is counted and logged. */
    record Request(SpiffeId source, String service, String protocol, String method, String path, String requestId,
            String traceparent, int status, String flags, Optional<Workload> endpoint, int attempts,
            long requestBytes, long responseBytes, long startNanos) {}

    /** The labels of one {@code istio_requests_total} series. */
    private record Series(SpiffeId source, String service, String workload, String namespace, String protocol,
            int status, String flags) {}

    /** The labels of one {@code istio_request_duration_milliseconds} series. */
    private record Durations(String service, String protocol, int status) {}

    private final MeterRegistry registry;
    /** Meters looked up by their labels without building an id per request; bounded by the label values seen. */
    private final Map<Series, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Durations, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> perService = new ConcurrentHashMap<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private static final CircuitBreaker NONE = new CircuitBreaker(Limits.DEFAULTS);

    RequestTelemetry(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    void record(Request r) {
        long nanos = System.nanoTime() - r.startNanos();
        String code = Integer.toString(r.status());
        String workload = r.endpoint().map(Workload::name).orElse("unknown");
        String namespace = r.endpoint().map(Workload::namespace).orElse("unknown");
        counters.computeIfAbsent(new Series(r.source(), r.service(), workload, namespace, r.protocol(), r.status(),
                r.flags()),
                s -> Counter.builder("istio_requests").tag("reporter", "waypoint")
                        .tag("source_principal", s.source().toString())
                        .tag("source_workload_namespace", s.source().namespace().orElse("unknown"))
                        .tag("destination_service", s.service()).tag("destination_workload", s.workload())
                        .tag("destination_workload_namespace", s.namespace())
                        .tag("request_protocol", s.protocol()).tag("response_code", code)
                        .tag("response_flags", s.flags()).register(registry)).increment();
        timers.computeIfAbsent(new Durations(r.service(), r.protocol(), r.status()),
                d -> Timer.builder("istio_request_duration_milliseconds").tag("reporter", "waypoint")
                        .tag("destination_service", d.service()).tag("request_protocol", d.protocol())
                        .tag("response_code", code).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (ACCESS.isLoggable(Level.INFO)) {
            ACCESS.log(Level.INFO, "src.identity=\"" + r.source() + "\" dst.service=" + r.service()
                    + " dst.workload=" + workload + " protocol=" + r.protocol() + " method=" + r.method()
                    + " path=\"" + r.path() + "\" status=" + code + " flags=" + r.flags() + " attempts=" + r.attempts()
                    + " bytes_recv=" + r.requestBytes() + " bytes_sent=" + r.responseBytes()
                    + " duration=" + TimeUnit.NANOSECONDS.toMillis(nanos) + "ms request_id=" + r.requestId()
                    + " traceparent=" + r.traceparent());
        }
    }

    /** The filters' own counters for requests to the backend {@code service}. */
    Exchange.Events events(String service) {
        Counter retries = perService.computeIfAbsent("retries " + service, k -> Counter.builder("waypoint_retries")
                .tag("destination_service", service).description("attempts made after a request's first")
                .register(registry));
        Counter overflows = perService.computeIfAbsent("overflow " + service, k -> Counter
                .builder("waypoint_retry_buffer_overflow").tag("destination_service", service)
                .description("requests whose body outgrew the retry buffer, so they could not be retried")
                .register(registry));
        return new Exchange.Events() {
            @Override
            public void retried() {
                retries.increment();
            }

            @Override
            public void replayCapExceeded() {
                overflows.increment();
            }
        };
    }

    /** An endpoint of {@code service} was ejected by outlier detection. */
    void ejected(String service) {
        perService.computeIfAbsent("ejections " + service, k -> Counter.builder("waypoint_outlier_ejections")
                .tag("destination_service", service).description("endpoints ejected after consecutive failures")
                .register(registry)).increment();
    }

    /**
     * Exports the circuit breaker of backend {@code host} (its current one, across reloads): open
     * connections, pending and active requests, and what each limit refused. Once per host.
     */
    void watch(CircuitBreakers breakers, String host) {
        if (watched.add(host)) {
            ToDoubleFunction<CircuitBreakers> connections = b -> current(b, host).connections();
            Gauge.builder("waypoint_upstream_connections", breakers, connections).tag("destination_service", host)
                    .register(registry);
            Gauge.builder("waypoint_upstream_requests_pending", breakers, b -> current(b, host).pending())
                    .tag("destination_service", host).register(registry);
            Gauge.builder("waypoint_upstream_requests_active", breakers, b -> current(b, host).requests())
                    .tag("destination_service", host).register(registry);
            for (CircuitBreaker.Overflow limit : CircuitBreaker.Overflow.values()) {
                FunctionCounter.builder("waypoint_upstream_overflow", breakers, b -> current(b, host).overflows(limit))
                        .tag("destination_service", host).tag("limit", limit.name().toLowerCase(Locale.ROOT))
                        .description("requests a circuit-breaker limit refused (answered 503)").register(registry);
            }
        }
    }

    private static CircuitBreaker current(CircuitBreakers breakers, String host) {
        return breakers.get(host).orElse(NONE);
    }
}

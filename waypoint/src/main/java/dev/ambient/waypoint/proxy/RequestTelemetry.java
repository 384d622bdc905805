package dev.ambient.waypoint.proxy;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.state.Workload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

    private final MeterRegistry registry;

    RequestTelemetry(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Request r) {
        long nanos = System.nanoTime() - r.startNanos();
        String code = Integer.toString(r.status());
        String workload = r.endpoint().map(Workload::name).orElse("unknown");
        String namespace = r.endpoint().map(Workload::namespace).orElse("unknown");
        Counter.builder("istio_requests").tag("reporter", "waypoint")
                .tag("source_principal", r.source().toString())
                .tag("source_workload_namespace", r.source().namespace().orElse("unknown"))
                .tag("destination_service", r.service()).tag("destination_workload", workload)
                .tag("destination_workload_namespace", namespace).tag("request_protocol", r.protocol())
                .tag("response_code", code).tag("response_flags", r.flags())
                .register(registry).increment();
        Timer.builder("istio_request_duration_milliseconds").tag("reporter", "waypoint")
                .tag("destination_service", r.service()).tag("request_protocol", r.protocol())
                .tag("response_code", code)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (ACCESS.isLoggable(Level.INFO)) {
            ACCESS.log(Level.INFO, "src.identity=\"" + r.source() + "\" dst.service=" + r.service()
                    + " dst.workload=" + workload + " protocol=" + r.protocol() + " method=" + r.method()
                    + " path=\"" + r.path() + "\" status=" + code + " flags=" + r.flags() + " attempts=" + r.attempts()
                    + " bytes_recv=" + r.requestBytes() + " bytes_sent=" + r.responseBytes()
                    + " duration=" + TimeUnit.NANOSECONDS.toMillis(nanos) + "ms request_id=" + r.requestId()
                    + " traceparent=" + r.traceparent());
        }
    }

    /** A request body grew past what is kept for a retry: it streams on, but cannot be retried. */
    void replayCapExceeded(String service) {
        Counter.builder("waypoint_retry_buffer_overflow").tag("destination_service", service)
                .description("requests whose body outgrew the retry buffer, so they could not be retried")
                .register(registry).increment();
    }
}

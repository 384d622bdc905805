package dev.ambient.ztunnel.telemetry;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.state.Workload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The L4 metrics, under Istio's names and labels so that existing dashboards and alerts work
 * unchanged: {@code istio_tcp_connections_opened_total}, {@code istio_tcp_connections_closed_total},
 * {@code istio_tcp_sent_bytes_total} and {@code istio_tcp_received_bytes_total}.
 */
public final class ProxyMetrics {

    public static final String OPENED = "istio_tcp_connections_opened";
    public static final String CLOSED = "istio_tcp_connections_closed";
    public static final String SENT = "istio_tcp_sent_bytes";
    public static final String RECEIVED = "istio_tcp_received_bytes";
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final AtomicLong active = new AtomicLong();

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        registry.gauge("ambient_proxy_active_connections", active);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a connection as opened and returns the meters its bytes and its end are counted on. */
    public ConnectionMeters open(ConnectionInfo info) {
        Tags tags = tags(info);
        Counter.builder(OPENED).tags(tags).tag("response_flags", "-").register(registry).increment();
        active.incrementAndGet();
        return new ConnectionMeters(
                Counter.builder(SENT).tags(tags).tag("response_flags", "-").register(registry),
                Counter.builder(RECEIVED).tags(tags).tag("response_flags", "-").register(registry),
                flags -> {
                    active.decrementAndGet();
                    Counter.builder(CLOSED).tags(tags).tag("response_flags", flags).register(registry).increment();
                });
    }

    public long activeConnections() {
        return active.get();
    }

    static Tags tags(ConnectionInfo info) {
        Optional<Workload> src = info.sourceWorkload();
        Optional<Workload> dst = info.destinationWorkload();
        String service = info.destinationService().isEmpty() ? UNKNOWN : info.destinationService();
        String[] serviceParts = service.split("\\.");
        return Tags.of(
                "reporter", info.reporter().label(),
                "source_workload", src.map(Workload::canonicalName).orElse(UNKNOWN),
                "source_workload_namespace", src.map(Workload::namespace).orElse(UNKNOWN),
                "source_canonical_service", src.map(Workload::canonicalName).orElse(UNKNOWN),
                "source_canonical_revision", src.map(Workload::canonicalRevision).orElse(UNKNOWN),
                "source_principal", info.sourceIdentity().map(SpiffeId::toString).orElse(UNKNOWN),
                "destination_workload", dst.map(Workload::canonicalName).orElse(UNKNOWN),
                "destination_workload_namespace", dst.map(Workload::namespace).orElse(UNKNOWN),
                "destination_canonical_service", dst.map(Workload::canonicalName).orElse(UNKNOWN),
                "destination_canonical_revision", dst.map(Workload::canonicalRevision).orElse(UNKNOWN),
                "destination_principal", info.destinationIdentity().map(SpiffeId::toString).orElse(UNKNOWN),
                "destination_service", service,
                "destination_service_name", serviceParts.length > 1 ? serviceParts[0] : UNKNOWN,
                "destination_service_namespace", serviceParts.length > 1 ? serviceParts[1] : UNKNOWN,
                "request_protocol", "tcp",
                "connection_security_policy", info.mutualTls() ? "mutual_tls" : UNKNOWN);
    }
}

package dev.ambient.daemonset.cluster;

/** Reading a proxy's {@code istio_tcp_connections_opened_total} from its /metrics text. */
public final class TcpMetrics {

    private TcpMetrics() {}

    /**
     * Connections counted from {@code source} to {@code destination} (each {@code namespace/sa/name}),
     * over the series that also carry every label in {@code more} (such as
     * {@code connection_security_policy="mutual_tls"}).
     */
    public static long opened(String metrics, String source, String destination, String... more) {
        return metrics.lines().filter(l -> l.startsWith("istio_tcp_connections_opened_total")
                && l.contains("source_principal=\"spiffe://cluster.local/ns/" + source + "\"")
                && l.contains("destination_principal=\"spiffe://cluster.local/ns/" + destination + "\"")
                && java.util.Arrays.stream(more).allMatch(l::contains))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}

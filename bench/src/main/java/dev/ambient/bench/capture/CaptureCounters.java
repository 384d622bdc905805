package dev.ambient.bench.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agent's capture decision counters ({@code ambient_capture_packets_total} by {@code decision})
 * and the connections its ztunnel accepted over mutual TLS, read from its Prometheus scrape. They are
 * what proves a scenario's traffic took the intended path: captured into ztunnel and tunnelled, or
 * seen by the programs and left alone. The tunnel count is needed because HBONE connections are
 * pooled: once the pool holds one, new client connections travel as streams and capture no new
 * HBONE flow on the far node.
 *
 * @param values packets per capture decision (e.g. {@code outbound_new}, {@code bypass}), and
 *     connections under {@link #MUTUAL_TLS_ACCEPTED}
 */
public record CaptureCounters(Map<String, Long> values) {

    public static final String METRIC = "ambient_capture_packets_total";
    public static final String OUTBOUND_NEW = "outbound_new";
    public static final String INBOUND_NEW = "inbound_new";
    public static final String HBONE_NEW = "hbone_new";
    public static final String BYPASS = "bypass";
    public static final String DRAINING = "draining";
    public static final String NO_LISTENER = "no_listener";
    public static final String ASSIGN_FAILED = "assign_failed";
    /** Connections ztunnel accepted from a peer over mutual TLS (Istio's destination-reported opens). */
    public static final String MUTUAL_TLS_ACCEPTED = "mutual_tls_accepted";
    private static final String OPENED = "istio_tcp_connections_opened_total{";

    private static final Pattern DECISION = Pattern.compile("decision=\"([^\"]*)\"");

    public CaptureCounters {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The counters in a Prometheus text scrape; those that do not appear are absent (read as 0). */
    public static CaptureCounters parse(String scrape) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(METRIC + "{")) {
                Matcher m = DECISION.matcher(line);
                if (m.find()) {
                    add(out, m.group(1), line);
                }
            } else if (line.startsWith(OPENED) && line.contains("reporter=\"destination\"")
                    && line.contains("connection_security_policy=\"mutual_tls\"")) {
                add(out, MUTUAL_TLS_ACCEPTED, line);
            }
        }
        return new CaptureCounters(out);
    }

    private static void add(Map<String, Long> out, String key, String line) {
        int space = line.lastIndexOf(' ');
        try {
            out.merge(key, (long) Double.parseDouble(line.substring(space + 1).strip()), Long::sum);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // not a sample line
        }
    }

    public long get(String key) {
        return values.getOrDefault(key, 0L);
    }

    /** New flows handed to a listener: outbound, inbound plaintext and HBONE. */
    public long newFlows() {
        return get(OUTBOUND_NEW) + get(INBOUND_NEW) + get(HBONE_NEW);
    }

    /** Packets dropped because no listener took them or the assignment failed: the fail-closed outcomes. */
    public long dropped() {
        return get(NO_LISTENER) + get(ASSIGN_FAILED);
    }

    /** What happened between {@code earlier} and this reading. */
    public CaptureCounters minus(CaptureCounters earlier) {
        Map<String, Long> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v - earlier.get(k)));
        earlier.values.keySet().forEach(k -> out.putIfAbsent(k, -earlier.get(k)));
        return new CaptureCounters(out);
    }
}

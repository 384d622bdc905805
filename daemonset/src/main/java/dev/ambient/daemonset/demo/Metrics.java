package dev.ambient.daemonset.demo;

import dev.ambient.daemonset.process.AgentEndpoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the demo shows out of a node's Prometheus metrics. */
final class Metrics {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private Metrics() {}

    /** The destination's view of the latest mutual-TLS connection from {@code principal}. */
    static String inbound(String scrape, String principal) {
        return scrape.lines()
                .filter(l -> l.startsWith("istio_tcp_connections_opened_total") && l.contains("reporter=\"destination\"")
                        && l.contains("source_principal=\"" + principal + "\""))
                .findFirst()
                .map(line -> label(line, "source_principal") + " → " + label(line, "destination_principal") + " over "
                        + label(line, "connection_security_policy"))
                .orElse("no connection from " + principal);
    }

    /** The capture counter for one decision. */
    static long capture(String scrape, String decision) {
        return AgentEndpoint.captureCounter(scrape, decision);
    }

    /** A waypoint's {@code istio_requests_total} per response code (and flags): "200×1, 403×1 (UAEX)". */
    static String requests(String scrape) {
        Map<String, Long> counts = new TreeMap<>();
        scrape.lines().filter(l -> l.startsWith("istio_requests_total{")).forEach(l -> counts.merge(
                label(l, "response_code") + "|" + label(l, "response_flags"),
                (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Long::sum));
        StringBuilder out = new StringBuilder();
        counts.forEach((key, n) -> {
            String[] codeAndFlags = key.split("\\|", 2);
            out.append(out.isEmpty() ? "" : ", ").append(codeAndFlags[0]).append('×').append(n)
                    .append(codeAndFlags[1].equals("-") ? "" : " (" + codeAndFlags[1] + ")");
        });
        return out.isEmpty() ? "none" : out.toString();
    }

    private static String label(String line, String name) {
        Matcher m = LABEL.matcher(line);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return "?";
    }
}

package dev.ambient.daemonset.demo;

import dev.ambient.daemonset.process.AgentEndpoint;
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

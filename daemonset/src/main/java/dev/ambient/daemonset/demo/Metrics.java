package dev.ambient.daemonset.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the destination's view of a connection out of its Prometheus metrics. */
final class Metrics {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private Metrics() {}

    static String describeInbound(String scrape) {
        return scrape.lines()
                .filter(l -> l.startsWith("istio_tcp_connections_opened_total") && l.contains("reporter=\"destination\""))
                .findFirst()
                .map(line -> "node-b counted the connection from " + label(line, "source_principal") + " to "
                        + label(line, "destination_principal") + " over " + label(line, "connection_security_policy")
                        + " (istio_tcp_connections_opened_total on :15020)")
                .orElse("node-b reported no inbound connection (unexpected)");
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

package dev.ambient.waypoint.proxy;

import dev.ambient.ztunnel.Ztunnel;
import java.time.Duration;

/** The waypoint's {@code waypoint_upstream_connections} gauge for one backend, as a scrape shows it. */
final class UpstreamGauge {

    private UpstreamGauge() {}

    /** Open upstream connections to the backend whose host starts with {@code service} (name.namespace). */
    static long connections(Ztunnel waypoint, String service) {
        return waypoint.registry().scrape().lines()
                .filter(l -> l.startsWith("waypoint_upstream_connections{")
                        && l.contains("destination_service=\"" + service + "."))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Waits, at most {@code within}, until the gauge reads {@code expected}; says whether it did. */
    static boolean awaitConnections(Ztunnel waypoint, String service, long expected, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (connections(waypoint, service) != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return connections(waypoint, service) == expected;
    }
}

package dev.ambient.bench.proxies;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Route;
import java.util.List;

/**
 * A running way from the client pod to the server pod: how load and bulk clients connect, and which
 * processes do the carrying. Closing it stops those processes.
 */
public interface ProxyPath extends AutoCloseable {

    Scenario scenario();

    /** How an HTTP client reaches the upstream HTTP server. */
    Route httpRoute();

    /** How a bulk client reaches the byte sink. */
    Route bulkRoute();

    /** The proxy processes, in report order; empty for the direct path. */
    List<ProxyProcess> processes();

    @Override
    void close();
}

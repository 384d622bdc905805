package dev.ambient.waypoint.upstream;

import io.netty.util.concurrent.Promise;

/** The connections of one event loop to one endpoint, in one protocol. Touched on that loop only. */
interface EndpointPool {

    /** Completes {@code promise} with a lease; {@code connector} opens a connection if one is needed. */
    void lease(Promise<Lease> promise, Connector connector);

    /** Whether it holds nothing (no connection, nothing waiting), so it may be dropped. */
    boolean unused();
}

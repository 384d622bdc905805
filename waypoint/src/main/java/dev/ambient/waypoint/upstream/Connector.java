package dev.ambient.waypoint.upstream;

import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Future;

/** Opens a new HBONE stream to one endpoint, on the caller's event loop. */
@FunctionalInterface
public interface Connector {
    Future<Http2StreamChannel> open();
}

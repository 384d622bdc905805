package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.detect.Protocol;
import dev.ambient.waypoint.http.HeaderHygiene;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A backend's response head made fit for the client's connection: its hop-by-hop headers dropped,
 * and for HTTP/1.1 its framing redone (a length when whole, else chunked, since a body delimited by
 * the backend's close cannot be passed on that way) and the client's keep-alive choice stated.
 */
final class ResponseFraming {

    private ResponseFraming() {}

    static void prepare(HttpResponse r, HttpMethod requestMethod, Protocol client, boolean keepAlive) {
        boolean chunked = HttpUtil.isTransferEncodingChunked(r);
        HeaderHygiene.stripHopByHop(r.headers());
        if (r instanceof FullHttpResponse full) {
            HttpUtil.setContentLength(r, full.content().readableBytes());
        } else if (client == Protocol.HTTP1 && bodyAllowed(r, requestMethod)
                && (chunked || !HttpUtil.isContentLengthSet(r))) {
            HttpUtil.setTransferEncodingChunked(r, true);
        }
        if (client == Protocol.HTTP1) {
            HttpUtil.setKeepAlive(r, keepAlive);
        }
    }

    private static boolean bodyAllowed(HttpResponse r, HttpMethod requestMethod) {
        int code = r.status().code();
        return !requestMethod.equals(HttpMethod.HEAD) && code != 204 && code != 304;
    }
}

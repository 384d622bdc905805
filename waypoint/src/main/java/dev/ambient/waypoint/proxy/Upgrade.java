package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.tunnel.StreamBytes;
import dev.ambient.waypoint.tunnel.StreamSplice;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 connection upgrade (WebSocket and the like) carried through the waypoint, as Envoy's
 * upgrade support does: the request is authorized and routed like any other, its {@code Upgrade}
 * survives the hop-by-hop hygiene, and when the backend answers 101 the client's and the backend's
 * tunnels leave HTTP and are spliced byte for byte.
 */
final class Upgrade {

    private Upgrade() {}

    /** The protocol the client asks to switch to, when it asks properly ({@code Connection: upgrade}). */
    static Optional<String> requested(HttpHeaders h) {
        String protocol = h.get(HttpHeaderNames.UPGRADE);
        boolean listed = h.getAll(HttpHeaderNames.CONNECTION).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("upgrade"));
        return protocol != null && listed && !protocol.isBlank() ? Optional.of(protocol) : Optional.empty();
    }

    /** Puts back on a forwarded message the upgrade headers hygiene took off. */
    static void keep(HttpHeaders h, String protocol) {
        h.set(HttpHeaderNames.UPGRADE, protocol);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
    }

    /**
     * After the 101 went to the client: both channels drop their HTTP handlers (whatever bytes those
     * still held are passed on first) and are spliced. Runs as a task of its own, so the handler that
     * saw the 101 is not removed under its own feet.
     */
    static void switchOver(Channel client, Channel backend) {
        client.eventLoop().execute(() -> {
            strip(backend.pipeline(), "http", "exchange", "idle");
            strip(client.pipeline(), "http", "continue", "request");
            client.pipeline().remove(StreamBytes.class);
            backend.pipeline().remove(StreamBytes.class);
            StreamSplice.join(client, backend);
        });
    }

    private static void strip(ChannelPipeline p, String... names) {
        for (String name : names) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}

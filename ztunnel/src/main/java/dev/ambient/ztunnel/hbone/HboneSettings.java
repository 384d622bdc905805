package dev.ambient.ztunnel.hbone;

import java.time.Duration;
import java.util.Objects;

/**
 * HTTP/2 and pooling settings of HBONE, shared by both ends. The defaults are Istio ztunnel's: the
 * connection window is larger than the stream window because equal windows let one stalled stream
 * starve every other stream on the connection.
 *
 * @param maxStreamsPerConnection streams a pooled connection carries before another is opened
 * @param idleTimeout a pooled connection with no stream for this long is closed
 * @param keepaliveInterval a PING is sent after this long without a frame from the peer
 * @param keepaliveTimeout the connection is closed when a PING is not answered within this long
 * @param connectTimeout TCP connect plus TLS handshake limit
 * @param streamWindow initial HTTP/2 stream flow-control window
 * @param connectionWindow HTTP/2 connection flow-control window
 * @param maxFrameSize largest DATA frame
 * @param maxHeaderListSize largest header block accepted
 */
public record HboneSettings(
        int maxStreamsPerConnection,
        Duration idleTimeout,
        Duration keepaliveInterval,
        Duration keepaliveTimeout,
        Duration connectTimeout,
        int streamWindow,
        int connectionWindow,
        int maxFrameSize,
        int maxHeaderListSize) {

    public static final int MIB = 1024 * 1024;

    public HboneSettings {
        if (maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException("maxStreamsPerConnection must be at least 1");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
        Objects.requireNonNull(keepaliveTimeout, "keepaliveTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectionWindow < streamWindow) {
            throw new IllegalArgumentException("connectionWindow must not be smaller than streamWindow");
        }
    }

    public static HboneSettings defaults() {
        return new HboneSettings(100, Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(10), 4 * MIB, 16 * MIB, MIB, 64 * 1024);
    }

    public HboneSettings withIdleTimeout(Duration idle) {
        return new HboneSettings(maxStreamsPerConnection, idle, keepaliveInterval, keepaliveTimeout, connectTimeout,
                streamWindow, connectionWindow, maxFrameSize, maxHeaderListSize);
    }

    public HboneSettings withMaxStreamsPerConnection(int max) {
        return new HboneSettings(max, idleTimeout, keepaliveInterval, keepaliveTimeout, connectTimeout,
                streamWindow, connectionWindow, maxFrameSize, maxHeaderListSize);
    }
}

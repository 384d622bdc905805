package dev.ambient.ztunnel.telemetry;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The counters of one open connection; resolved once at open so the byte path does no lookups. */
public final class ConnectionMeters {

    private final Counter sent;
    private final Counter received;
    private final Consumer<String> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    ConnectionMeters(Counter sent, Counter received, Consumer<String> onClose) {
        this.sent = sent;
        this.received = received;
        this.onClose = onClose;
    }

    /** Bytes sent towards the client (the response direction, in Istio's terms). */
    public void sent(long bytes) {
        sent.increment(bytes);
    }

    /** Bytes received from the client (the request direction). */
    public void received(long bytes) {
        received.increment(bytes);
    }

    /** Counts the close once, with Istio response flags ({@code -} for a clean end). */
    public void closed(String responseFlags) {
        if (closed.compareAndSet(false, true)) {
            onClose.accept(responseFlags);
        }
    }
}

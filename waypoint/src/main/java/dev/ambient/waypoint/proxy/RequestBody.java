package dev.ambient.waypoint.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body on its way upstream. Chunks are written to the current attempt as they arrive; while
 * the request may still be retried they are also kept, up to {@code cap} bytes, so that a retry can
 * send them again. Past the cap the kept chunks are dropped and the request is no longer replayable
 * (reported once through {@link #overflowed()}): a large upload streams, it is never held whole.
 */
final class RequestBody {

    private final List<HttpContent> chunks = new ArrayList<>();
    private final long cap;
    private boolean keep;
    private boolean overflowed;
    private boolean complete;
    private long bytes;
    private int sent;

    /** {@code replay}: the route retries, so the body is kept (under {@code cap}) for a second attempt. */
    RequestBody(boolean replay, long cap) {
        this.keep = replay;
        this.cap = cap;
    }

    /** Takes ownership of {@code chunk}. */
    void add(HttpContent chunk) {
        bytes += chunk.content().readableBytes();
        complete |= chunk instanceof LastHttpContent;
        chunks.add(chunk);
        if (keep && bytes > cap) {
            keep = false;
            overflowed = true;
            for (int i = 0; i < sent; i++) {
                chunks.get(i).release();
            }
            chunks.subList(0, sent).clear();
            sent = 0;
        }
    }

    /** Writes the chunks {@code to} has not had yet; returns whether the last one was among them. */
    boolean writeTo(Channel to) {
        boolean last = false;
        for (int i = sent; i < chunks.size(); i++) {
            HttpContent c = chunks.get(i);
            last |= c instanceof LastHttpContent;
            to.write(keep ? c.retainedDuplicate() : c);
        }
        if (keep) {
            sent = chunks.size();
        } else {
            chunks.clear();
            sent = 0;
        }
        to.flush();
        return last;
    }

    /** A new attempt starts: everything kept goes again. Only valid while {@link #replayable()}. */
    void rewind() {
        if (!keep) {
            throw new IllegalStateException("BUG: rewinding a body that was not kept");
        }
        sent = 0;
    }

    /** Whether a new attempt could send the whole body again. */
    boolean replayable() {
        return keep;
    }

    boolean overflowed() {
        return overflowed;
    }

    boolean complete() {
        return complete;
    }

    long bytes() {
        return bytes;
    }

    /** The response is committed: nothing will be replayed any more. */
    void stopKeeping() {
        if (keep) {
            for (int i = 0; i < sent; i++) {
                chunks.get(i).release();
            }
            chunks.subList(0, sent).clear();
            sent = 0;
            keep = false;
        }
    }

    void release() {
        chunks.forEach(HttpContent::release);
        chunks.clear();
        sent = 0;
        keep = false;
    }
}

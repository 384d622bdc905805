package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A request body kept for replay under a cap, written to attempts on {@link EmbeddedChannel}s, with no leaks. */
@ExtendWith(NettyLeakCheck.class)
class RequestBodyTest {

    private static HttpContent chunk(String s, boolean last) {
        ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
        return last ? new DefaultLastHttpContent(b) : new DefaultHttpContent(b);
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (HttpContent c; (c = ch.readOutbound()) != null; ) {
            out.append(c.content().toString(StandardCharsets.UTF_8));
            c.release();
        }
        return out.toString();
    }

    @Test
    void aKeptBodyIsSentAgainWholeOnRetry() {
        RequestBody body = new RequestBody(true, 100);
        EmbeddedChannel first = new EmbeddedChannel();
        body.add(chunk("hello ", false));
        assertFalse(body.writeTo(first));
        body.add(chunk("world", true));
        assertTrue(body.writeTo(first), "the last chunk went");
        assertEquals("hello world", drain(first));
        assertTrue(body.replayable());
        body.rewind();
        EmbeddedChannel second = new EmbeddedChannel();
        assertTrue(body.writeTo(second));
        assertEquals("hello world", drain(second), "the retry gets every byte again");
        body.release();
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void pastTheCapTheBodyStreamsOnButCannotBeReplayed() {
        RequestBody body = new RequestBody(true, 8);
        EmbeddedChannel ch = new EmbeddedChannel();
        body.add(chunk("12345", false));
        body.writeTo(ch);
        body.add(chunk("67890", false));
        assertTrue(body.overflowed(), "10 bytes outgrew a cap of 8");
        assertFalse(body.replayable());
        body.add(chunk("!", true));
        assertTrue(body.writeTo(ch));
        assertEquals("1234567890!", drain(ch), "the upstream still gets all of it, in order");
        assertEquals(11, body.bytes());
        body.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutRetriesNothingIsKept() {
        RequestBody body = new RequestBody(false, 1 << 20);
        EmbeddedChannel ch = new EmbeddedChannel();
        body.add(chunk("abc", true));
        assertFalse(body.replayable());
        assertTrue(body.writeTo(ch));
        assertEquals("abc", drain(ch));
        body.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void committingReleasesWhatWasKept() {
        RequestBody body = new RequestBody(true, 100);
        EmbeddedChannel ch = new EmbeddedChannel();
        body.add(chunk("abc", false));
        body.writeTo(ch);
        body.stopKeeping();
        assertFalse(body.replayable());
        body.add(chunk("def", true));
        body.writeTo(ch);
        assertEquals("abcdef", drain(ch));
        body.release();
        ch.finishAndReleaseAll();
    }
}

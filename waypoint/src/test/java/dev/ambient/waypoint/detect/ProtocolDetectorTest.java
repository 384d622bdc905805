package dev.ambient.waypoint.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The detector on an {@link EmbeddedChannel}: it holds bytes until it can tell, then hands over all of them. */
@ExtendWith(NettyLeakCheck.class)
class ProtocolDetectorTest {

    private Protocol seen;
    private String held;
    private boolean ended;

    private EmbeddedChannel channel(Optional<Duration> patience) {
        return new EmbeddedChannel(new ProtocolDetector(patience, Protocol.OPAQUE, (ctx, protocol, bytes, end) -> {
            seen = protocol;
            held = bytes.toString(StandardCharsets.ISO_8859_1);
            ended = end;
            bytes.release();
        }));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void bytesInPiecesAreHeldUntilTheVerdictAndHandedOverWhole() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(bytes("PRI * HTTP/2"));
        assertNull(seen, "not enough to tell");
        ch.writeInbound(bytes(".0\r\n\r\nSM\r\n\r\n\0\0\0"));
        assertEquals(Protocol.HTTP2, seen);
        assertEquals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0", held, "nothing lost, nothing repeated");
        assertNull(ch.pipeline().get(ProtocolDetector.class), "the detector leaves once it has decided");
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatClosesEarlyIsJudgedOnWhatItSent() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(bytes("HELO"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(Protocol.OPAQUE, seen);
        assertEquals("HELO", held);
        assertTrue(ended);
        ch.finishAndReleaseAll();
    }

    @Test
    void aSilentClientGetsTheFallbackAfterThePatience() throws Exception {
        EmbeddedChannel ch = channel(Optional.of(Duration.ofMillis(20)));
        Thread.sleep(40);
        ch.advanceTimeBy(40, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(Protocol.OPAQUE, seen, "a server-first protocol is passed on as TCP");
        assertEquals("", held);
        ch.finishAndReleaseAll();
    }

    @Test
    void bytesHeldWhenTheChannelClosesAreReleased() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(bytes("GE"));
        ch.close();
        assertNull(seen);
        ch.finishAndReleaseAll();
    }
}

package dev.ambient.ztunnel.hbone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A quiet HBONE connection is probed with PING; an unanswered PING closes it, an answer keeps it. */
class KeepaliveTest {

    @Test
    void anUnansweredPingClosesTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new Keepalive(Duration.ofSeconds(20)));
        channel.freezeTime();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        Http2PingFrame ping = assertInstanceOf(Http2PingFrame.class, channel.readOutbound());
        assertFalse(ping.ack());
        channel.advanceTimeBy(19, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "closed before the timeout");
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen(), "a dead peer must be detected and its connection closed");
    }

    @Test
    void anAnsweredPingKeepsTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new Keepalive(Duration.ofSeconds(20)));
        channel.freezeTime();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        Http2PingFrame ping = channel.readOutbound();
        channel.writeInbound(new DefaultHttp2PingFrame(ping.content(), true));
        assertNull(channel.readInbound(), "the PING ack is consumed by the keepalive");
        channel.advanceTimeBy(30, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }
}

package dev.ambient.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.BenchException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Socks5HandshakeTest {

    private static final InetSocketAddress DESTINATION = new InetSocketAddress("127.0.0.3", 0x1f90);

    private final AtomicReference<Channel> ready = new AtomicReference<>();
    private final AtomicReference<BenchException> failed = new AtomicReference<>();

    private EmbeddedChannel started() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Socks5Handshake.install(ch.pipeline(), DESTINATION, ready::set, failed::set);
        ch.pipeline().fireChannelActive();
        assertArrayEquals(new byte[] {5, 1, 0}, outbound(ch), "greeting offers no-auth only");
        return ch;
    }

    @Test
    void connectsAndLeavesAnEmptyPipeline() {
        EmbeddedChannel ch = started();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 0}));
        assertArrayEquals(new byte[] {5, 1, 0, 1, 127, 0, 0, 3, 0x1f, (byte) 0x90}, outbound(ch),
                "CONNECT to 127.0.0.3:8080");
        assertNull(ready.get());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
        assertEquals(ch, ready.get());
        assertNull(failed.get());
        assertTrue(ch.pipeline().names().stream().noneMatch(n -> n.startsWith("socks5")), ch.pipeline().names().toString());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aRefusalFailsWithTheReasonAndCloses() {
        EmbeddedChannel ch = started();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 0}));
        outbound(ch);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 2, 0, 1, 0, 0, 0, 0, 0, 0}));
        assertNull(ready.get());
        assertTrue(failed.get().getMessage().contains("refused CONNECT"), failed.get().getMessage());
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void aProxyWantingAuthenticationIsRefused() {
        EmbeddedChannel ch = started();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, (byte) 0xff}));
        assertTrue(failed.get().getMessage().contains("without authentication"), failed.get().getMessage());
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void closingMidwayFailsOnce() {
        EmbeddedChannel ch = started();
        ch.close();
        assertTrue(failed.get().getMessage().contains("closed the connection"), failed.get().getMessage());
        ch.finishAndReleaseAll();
    }

    private static byte[] outbound(EmbeddedChannel ch) {
        ByteBuf buf = ch.readOutbound();
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}

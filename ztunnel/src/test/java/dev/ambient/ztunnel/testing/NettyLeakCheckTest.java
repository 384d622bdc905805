package dev.ambient.ztunnel.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves the leak check can fail: a buffer dropped on purpose must be reported. */
class NettyLeakCheckTest {

    @Test
    void aDroppedBufferIsReported() throws InterruptedException {
        for (int i = 0; i < 3 && NettyLeakCheck.leaks().isEmpty(); i++) {
            leakOne();
            NettyLeakCheck.provokeReports();
        }
        try {
            assertFalse(NettyLeakCheck.leaks().isEmpty(), "a buffer that was never released was not reported");
        } finally {
            NettyLeakCheck.forgetDeliberateLeaks();
        }
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        leaked.writeLong(42);
        // dropped without release() on purpose
    }
}

package dev.ambient.ztunnel.testing;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a buffer leak during it. Registered for every test by
 * auto-detection; the leak detector runs at PARANOID (set in the surefire configuration), so every
 * buffer is tracked. Leaks are found when the collector has reclaimed an unreleased buffer and a
 * later allocation looks, so this forces both before it checks.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        LEAKS.clear();
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int round = 0; round < 3 && LEAKS.isEmpty(); round++) {
            provokeReports();
        }
        if (!LEAKS.isEmpty()) {
            String first = LEAKS.get(0);
            throw new AssertionError("Netty reported " + LEAKS.size() + " buffer leak(s) in "
                    + context.getDisplayName() + ":\n" + first);
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        Logger logger = Logger.getLogger("io.netty.util.ResourceLeakDetector");
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (message != null && message.contains("LEAK")) {
                    LEAKS.add(message);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        installed = true;
    }

    /** Leaks reported so far in the current class; for a test that checks the detector itself. */
    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    /** Forgets reported leaks; only the detector's own test, which leaks on purpose, may call this. */
    static void forgetDeliberateLeaks() {
        LEAKS.clear();
    }

    /** Runs the collector and an allocation so that pending leak reports are made now. */
    static void provokeReports() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        for (int i = 0; i < 64; i++) {
            PooledByteBufAllocator.DEFAULT.buffer(64).release();
            UnpooledByteBufAllocator.DEFAULT.buffer(64).release();
        }
    }
}

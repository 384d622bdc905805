package dev.ambient.ztunnel.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The messages one class logs, for tests that check what an operator reads: attach with
 * {@link #of(Class)}, close to detach.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    public static LogCapture of(Class<?> source) {
        LogCapture capture = new LogCapture(Logger.getLogger(source.getName()));
        capture.logger.addHandler(capture);
        return capture;
    }

    /** Every message so far, formatted with its parameters. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    public boolean contains(String part) {
        return messages.stream().anyMatch(m -> m.contains(part));
    }

    /** Waits, at most {@code within}, for a message containing {@code part}; says whether it came. */
    public boolean await(String part, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!contains(part) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return contains(part);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(new SimpleFormatter().formatMessage(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}

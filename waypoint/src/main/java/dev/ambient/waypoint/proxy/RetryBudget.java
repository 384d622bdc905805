package dev.ambient.waypoint.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retries as a share of the load, as Envoy's retry budget: at any moment at most a fifth of the
 * requests in flight (and at least 3) may be retries. When backends fail wholesale, retries would
 * otherwise multiply the load on them exactly when they can least take it.
 */
final class RetryBudget {

    private static final double SHARE = 0.2;
    private static final int MIN = 3;

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();

    void requestStarted() {
        requests.incrementAndGet();
    }

    void requestEnded() {
        requests.decrementAndGet();
    }

    /** Takes a retry slot if the budget allows; {@link #retryEnded} gives it back. */
    boolean tryRetry() {
        while (true) {
            int now = retries.get();
            if (now >= Math.max(MIN, (int) (requests.get() * SHARE))) {
                return false;
            }
            if (retries.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void retryEnded() {
        retries.decrementAndGet();
    }
}

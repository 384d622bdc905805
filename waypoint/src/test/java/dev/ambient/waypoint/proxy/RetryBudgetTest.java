package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** At most a fifth of the requests in flight may be retries, and never fewer than 3. */
class RetryBudgetTest {

    @Test
    void retriesAreAShareOfTheLoad() {
        RetryBudget b = new RetryBudget();
        for (int i = 0; i < 3; i++) {
            assertTrue(b.tryRetry(), "three retries are always allowed");
        }
        assertFalse(b.tryRetry(), "a fourth needs more load");
        for (int i = 0; i < 20; i++) {
            b.requestStarted();
        }
        assertTrue(b.tryRetry(), "20 requests allow 4 retries");
        assertFalse(b.tryRetry());
        b.retryEnded();
        assertTrue(b.tryRetry(), "a finished retry frees its slot");
    }
}

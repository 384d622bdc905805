package dev.ambient.waypoint.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A burst passes, then requests pass at the rate; the wait until the next token is told exactly. */
class TokenBucketTest {

    @Test
    void burstThenRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, bucket.tryTake(), "the burst");
        }
        assertEquals(500_000_000L, bucket.tryTake(), "two per second: the next token in 0.5 s");
        now.addAndGet(500_000_000L);
        assertEquals(0, bucket.tryTake());
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, bucket.tryTake(), "a long pause refills the burst, no more");
        }
        assertTrue(bucket.tryTake() > 0);
        assertEquals(1, RateLimiters.retryAfterSeconds(1));
        assertEquals(2, RateLimiters.retryAfterSeconds(1_000_000_001L));
    }

    @Test
    void annotationsAreReadAndMistakesNamed() {
        List<String> errors = new ArrayList<>();
        assertEquals(new RateLimit(0.5, 1), RateLimit.fromAnnotations(Map.of(RateLimit.RATE, "0.5"),
                (k, m) -> errors.add(k)).orElseThrow());
        assertEquals(new RateLimit(100, 250), RateLimit.fromAnnotations(Map.of(RateLimit.RATE, "100",
                RateLimit.BURST, "250"), (k, m) -> errors.add(k)).orElseThrow());
        assertTrue(errors.isEmpty());
        assertTrue(RateLimit.fromAnnotations(Map.of(), (k, m) -> errors.add(k)).isEmpty());
        RateLimit.fromAnnotations(Map.of(RateLimit.RATE, "fast"), (k, m) -> errors.add(k + ": " + m));
        RateLimit.fromAnnotations(Map.of(RateLimit.RATE, "5", RateLimit.BURST, "0"), (k, m) -> errors.add(k + ": " + m));
        RateLimit.fromAnnotations(Map.of(RateLimit.BURST, "5"), (k, m) -> errors.add(k + ": " + m));
        assertEquals(3, errors.size(), errors.toString());
    }
}

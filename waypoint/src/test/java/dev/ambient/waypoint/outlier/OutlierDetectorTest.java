package dev.ambient.waypoint.outlier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Consecutive failures eject, success resets the count, ejection grows and ends, half stays in. */
class OutlierDetectorTest {

    private final AtomicLong now = new AtomicLong();
    private final OutlierDetector detector = new OutlierDetector(
            new OutlierDetector.Settings(3, Duration.ofSeconds(10), 0.5), now::get);
    private final List<String> set = List.of("a", "b");

    @Test
    void consecutiveFailuresEjectForAGrowingTime() {
        detector.failure("a", set);
        detector.failure("a", set);
        detector.success("a");
        detector.failure("a", set);
        detector.failure("a", set);
        assertFalse(detector.ejected("a"), "a success in between resets the count");
        assertTrue(detector.failure("a", set));
        assertTrue(detector.ejected("a"));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertFalse(detector.ejected("a"), "back after the base ejection time");
        for (int i = 0; i < 3; i++) {
            detector.failure("a", set);
        }
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        assertTrue(detector.ejected("a"), "the second ejection lasts twice as long");
    }

    @Test
    void neverMoreThanTheShareOfASetIsOut() {
        for (int i = 0; i < 3; i++) {
            detector.failure("a", set);
            detector.failure("b", set);
        }
        assertTrue(detector.ejected("a") != detector.ejected("b"), "one of two may be out, not both");
    }
}

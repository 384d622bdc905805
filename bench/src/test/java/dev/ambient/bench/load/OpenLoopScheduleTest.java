package dev.ambient.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void requestsAreEvenlySpacedOverAllConnections() {
        OpenLoopSchedule s = new OpenLoopSchedule(500, 1000, 16, SECOND, 3 * SECOND);
        assertEquals(3000, s.total());
        for (long i = 1; i < s.total(); i++) {
            assertEquals(1_000_000, s.sendTime(i) - s.sendTime(i - 1), "gap before request " + i);
        }
        assertEquals(500, s.sendTime(0));
        assertTrue(s.offset(s.total() - 1) < 3 * SECOND);
    }

    @Test
    void eachConnectionIsPhaseShiftedByOneGlobalInterval() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 1000, 16, 0, SECOND);
        for (int c = 0; c < 16; c++) {
            assertEquals(c * 1_000_000L, s.sendTime(c), "first request of connection " + c);
            assertEquals(c, s.connectionOf(c));
            long next = s.nextOnConnection(c);
            assertEquals(c, s.connectionOf(next));
            assertEquals(16_000_000L, s.sendTime(next) - s.sendTime(c), "per-connection interval");
        }
    }

    @Test
    void connectionsShareTheRequestsWithoutGapsOrOverlap() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 1000, 16, 0, SECOND);
        Set<Long> seen = new HashSet<>();
        long sum = 0;
        for (int c = 0; c < 16; c++) {
            long n = 0;
            for (long i = c; i < s.total(); i = s.nextOnConnection(i)) {
                assertTrue(seen.add(i));
                n++;
            }
            assertEquals(s.requestsOn(c), n, "requests on connection " + c);
            assertTrue(n == 62 || n == 63, "1000 over 16 gives 62 or 63 each, got " + n);
            sum += n;
        }
        assertEquals(s.total(), sum);
    }

    @Test
    void warmupRequestsAreSentButNotMeasured() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 1000, 16, 2 * SECOND, 5 * SECOND);
        assertEquals(2000, s.firstMeasured());
        assertEquals(3000, s.measuredCount());
        assertFalse(s.measured(1999));
        assertTrue(s.measured(2000));
        assertEquals(2 * SECOND, s.measureStartNanos());
        assertEquals(5 * SECOND, s.endNanos());
    }

    @Test
    void ratesThatDoNotDivideASecondRoundTheCountUp() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 3, 2, 0, SECOND);
        // Offsets 0, 333333333 and 666666666 ns are all before one second.
        assertEquals(3, s.total());
        assertEquals(2, s.requestsOn(0));
        assertEquals(1, s.requestsOn(1));
        OpenLoopSchedule few = new OpenLoopSchedule(0, 1, 4, 0, SECOND);
        assertEquals(1, few.total());
        assertEquals(0, few.requestsOn(3));
    }
}

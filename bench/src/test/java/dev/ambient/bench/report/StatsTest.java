package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, Stats.median(3, 1, 2));
        assertEquals(2.5, Stats.median(4, 1, 3, 2));
        assertEquals(7, Stats.median(7));
    }

    @Test
    void missingValuesAreIgnored() {
        assertEquals(5, Stats.median(Double.NaN, 5, Double.NaN));
        assertTrue(Double.isNaN(Stats.median(Double.NaN)));
        assertTrue(Double.isNaN(Stats.median(Arrays.asList(new Double[0]))));
    }

    @Test
    void oneSpoiledRoundDoesNotMoveTheMedian() {
        assertEquals(110, Stats.median(100, 110, 90_000));
    }
}

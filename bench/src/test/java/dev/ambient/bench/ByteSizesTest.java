package dev.ambient.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void readsBinaryUnitsAndPlainBytes() {
        assertEquals(1L << 30, ByteSizes.parse("1g").getAsLong());
        assertEquals(1L << 30, ByteSizes.parse("1GiB").getAsLong());
        assertEquals(256L << 20, ByteSizes.parse("256m").getAsLong());
        assertEquals(64L << 10, ByteSizes.parse("64K").getAsLong());
        assertEquals(12345, ByteSizes.parse("12345").getAsLong());
        assertEquals(2048, ByteSizes.parse(" 2kb ").getAsLong());
    }

    @Test
    void rejectsWhatIsNotAPositiveSize() {
        for (String bad : new String[] {"", "g", "-1m", "0", "1.5g", "ten", "99999999999999999999g"}) {
            assertTrue(ByteSizes.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void formatsWholeUnits() {
        assertEquals("1 GiB", ByteSizes.format(1L << 30));
        assertEquals("512 MiB", ByteSizes.format(512L << 20));
        assertEquals("1 KiB", ByteSizes.format(1024));
        assertEquals("1000 B", ByteSizes.format(1000));
    }
}

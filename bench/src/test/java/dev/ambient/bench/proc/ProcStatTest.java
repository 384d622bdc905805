package dev.ambient.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    private static final String JAVA = "4242 (java) S 1 4242 4242 0 -1 4194560 91032 0 12 0 1520 337 0 0 20 0 41 0"
            + " 123456 4345856000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 17102 0 0 0 17 1 0 0 0 0 0";

    @Test
    void readsCpuTicksAndParent() {
        ProcStat s = ProcStat.parse(JAVA).orElseThrow();
        assertEquals(4242, s.pid());
        assertEquals("java", s.command());
        assertEquals(1, s.parentPid());
        assertEquals(1520, s.userTicks());
        assertEquals(337, s.systemTicks());
        assertEquals(1857, s.cpuTicks());
    }

    @Test
    void childrenThatExitedAndWereWaitedForCountWhenAsked() {
        ProcStat s = ProcStat.parse(JAVA.replace(" 1520 337 0 0 ", " 1520 337 40 2 ")).orElseThrow();
        assertEquals(40, s.childUserTicks());
        assertEquals(2, s.childSystemTicks());
        assertEquals(1857, s.cpuTicks());
        assertEquals(1899, s.cpuTicksWithReapedChildren());
    }

    @Test
    void aCommandWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String line = JAVA.replace("(java)", "(nginx: worker (x) )");
        ProcStat s = ProcStat.parse(line).orElseThrow();
        assertEquals("nginx: worker (x) ", s.command());
        assertEquals(1520, s.userTicks());
        assertEquals(337, s.systemTicks());
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertTrue(ProcStat.parse("").isEmpty());
        assertTrue(ProcStat.parse("4242 (java) S 1").isEmpty());
        assertTrue(ProcStat.parse("x (java) S 1 2 3 4 5 6 7 8 9 10 11 12 13").isEmpty());
    }
}

package dev.ambient.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's busy time: the scheduler's exact count when there is one, else /proc/stat's ticks. */
class MachineCpuTest {

    @TempDir
    Path dir;

    @Test
    void procStatCountsEverythingButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(1 + 2 + 3 + 6 + 7 + 8, MachineCpu.busy("cpu  1 2 3 4000 5000 6 7 8 9 10"));
    }

    @Test
    void prefersCpuacctAndFallsBackToProcStat() throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  100 0 50 9000 0 0 0 0 0 0\ncpu0 1 0 0 0 0 0 0 0 0 0\n");
        Path cpuacct = dir.resolve("cpuacct.usage");
        MachineCpu withoutCpuacct = new MachineCpu(cpuacct, stat, 100);
        assertEquals(150L * 10_000_000L, withoutCpuacct.busyNanos(), "150 ticks of 10 ms");
        Files.writeString(cpuacct, "123456789\n");
        assertEquals(123_456_789L, new MachineCpu(cpuacct, stat, 100).busyNanos());
    }

    @Test
    void aWindowGivesBusyCoresAndNothingWhenUnreadable() throws Exception {
        Path cpuacct = Files.writeString(dir.resolve("cpuacct.usage"), "0\n");
        MachineCpu m = new MachineCpu(cpuacct, dir.resolve("none"), 100);
        m.opened();
        Thread.sleep(50);
        Files.writeString(cpuacct, "1000000000\n");
        m.closed();
        assertTrue(m.cores() > 0 && m.cores() < 1_000_000_000L / 50e6 * 1.01, "a second of CPU in ≥ 50 ms: " + m.cores());
        MachineCpu none = new MachineCpu(dir.resolve("x"), dir.resolve("y"), 100);
        none.opened();
        none.closed();
        assertTrue(Double.isNaN(none.cores()));
    }
}

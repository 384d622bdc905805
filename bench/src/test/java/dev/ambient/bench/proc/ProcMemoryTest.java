package dev.ambient.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcMemoryTest {

    @Test
    void readsKibibyteFields() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  123456 kB\nThreads:\t41\n";
        assertEquals(123456, ProcMemory.field(status, "VmRSS:").getAsLong());
        String rollup = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:   120000 kB\nPss:    98765 kB\n"
                + "Pss_Anon:  90000 kB\n";
        assertEquals(98765, ProcMemory.field(rollup, "Pss:").getAsLong());
        assertTrue(ProcMemory.field(status, "Pss:").isEmpty());
        assertTrue(ProcMemory.field("Threads:\t41\n", "Threads:").isPresent(), "a bare number is accepted");
        assertTrue(ProcMemory.field("VmRSS: 12 MB\n", "VmRSS:").isEmpty(), "only kB is understood");
    }

    @Test
    void sumsAndKeepsUnknownPssUnknown() {
        assertEquals(new ProcMemory(30, 12), new ProcMemory(10, 5).plus(new ProcMemory(20, 7)));
        assertEquals(-1, new ProcMemory(10, -1).plus(new ProcMemory(20, 7)).pssKiB());
    }

    @Test
    void samplesThisProcess() {
        ProcessSampler sampler = ProcessSampler.system();
        long self = ProcessHandle.current().pid();
        assertTrue(sampler.memory(self).rssKiB() > 0);
        assertTrue(sampler.cpuSeconds(self) > 0);
    }
}

package dev.ambient.bench.proc;

import java.util.OptionalLong;

/**
 * Memory of one process: resident set from {@code /proc/<pid>/status} (VmRSS) and proportional set
 * from {@code /proc/<pid>/smaps_rollup} (Pss). RSS counts shared pages (libraries, the JDK's class
 * data) in full for every process; PSS splits them among the processes that share them, so PSS
 * sums are what a node actually pays.
 *
 * @param rssKiB VmRSS in KiB
 * @param pssKiB Pss in KiB, or -1 when the kernel does not offer smaps_rollup
 */
public record ProcMemory(long rssKiB, long pssKiB) {

    /** Adds two readings, e.g. an nginx master and its worker. */
    public ProcMemory plus(ProcMemory other) {
        return new ProcMemory(rssKiB + other.rssKiB, pssKiB < 0 || other.pssKiB < 0 ? -1 : pssKiB + other.pssKiB);
    }

    /** The value in KiB of the line starting with {@code key} (e.g. {@code "VmRSS:"}) in a status-like file. */
    public static OptionalLong field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
                        return OptionalLong.empty();
                    }
                    return OptionalLong.of(value);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
